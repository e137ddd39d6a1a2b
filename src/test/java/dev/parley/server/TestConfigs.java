package dev.parley.server;

import java.util.Map;

/** Configurations for tests: defaults, but every listener on loopback and a free port. */
public final class TestConfigs {
    private TestConfigs() {}

    public static ParleyConfig loopback() {
        return ConfigLoader.load(new String[] {"--host", "127.0.0.1", "--port", "0",
            "--sfu-bind", "127.0.0.1", "--sfu-port", "0", "--sfu-tcp-port", "0", "--sfu-announced-address", "127.0.0.1",
            "--turn-listen", "127.0.0.1", "--turn-udp-port", "0", "--turn-tcp-port", "0", "--turn-tls-port", "0",
            "--turn-relay-address", "127.0.0.1", "--turn-public-host", "127.0.0.1",
            // relays to browsers on this machine: loopback peers must be allowed explicitly
            "--turn-allowed-peers", "127.0.0.0/8"}, Map.of());
    }
}
