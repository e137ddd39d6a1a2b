package dev.parley.server;

import java.util.Map;

/** Configurations for tests: defaults, but bound to loopback, on free ports. */
public final class TestConfigs {
    private TestConfigs() {}

    public static ParleyConfig loopback() {
        return ConfigLoader.load(new String[] {"--host", "127.0.0.1", "--port", "0",
            "--sfu-bind", "127.0.0.1", "--sfu-port", "0", "--sfu-announced-address", "127.0.0.1"}, Map.of());
    }
}
