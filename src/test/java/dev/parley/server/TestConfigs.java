package dev.parley.server;

import java.util.Map;

/** Configurations for tests: defaults, but every listener on loopback and a free port. */
public final class TestConfigs {
    private TestConfigs() {}

    /** Later flags win, so {@code overrides} replace the defaults below (e.g. a taken port). */
    public static ParleyConfig loopback(String... overrides) {
        String[] base = {"--host", "127.0.0.1", "--port", "0",
            "--sfu-bind", "127.0.0.1", "--sfu-port", "0", "--sfu-tcp-port", "0", "--sfu-announced-address", "127.0.0.1",
            "--turn-listen", "127.0.0.1", "--turn-udp-port", "0", "--turn-tcp-port", "0", "--turn-tls-port", "0",
            "--turn-relay-address", "127.0.0.1", "--turn-public-host", "127.0.0.1",
            // relays to browsers on this machine: loopback peers must be allowed explicitly
            "--turn-allowed-peers", "127.0.0.0/8"};
        String[] args = java.util.Arrays.copyOf(base, base.length + overrides.length);
        System.arraycopy(overrides, 0, args, base.length, overrides.length);
        return ConfigLoader.load(args, Map.of());
    }
}
