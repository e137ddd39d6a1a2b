package dev.parley.server;

import java.util.Map;

/** Configurations for tests: defaults, but bound to loopback. */
public final class TestConfigs {
    private TestConfigs() {}

    public static ParleyConfig loopback() {
        return ConfigLoader.load(new String[] {"--host", "127.0.0.1", "--port", "0"}, Map.of());
    }
}
