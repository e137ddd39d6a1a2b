package dev.parley.testing;

import dev.parley.server.ParleyConfig;
import dev.parley.server.ParleyServer;
import dev.parley.signaling.SignalingSettings;
import java.net.URI;
import java.util.function.UnaryOperator;

/** A Parley server in this JVM on a free loopback port. */
public final class TestServer implements AutoCloseable {
    private final ParleyServer server;

    private TestServer(ParleyServer server) {
        this.server = server;
    }

    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** Starts with the defaults changed by {@code customise}; always on 127.0.0.1, port 0. */
    public static TestServer start(UnaryOperator<ParleyConfig> customise) {
        ParleyConfig base = dev.parley.server.TestConfigs.loopback();
        ParleyServer server = new ParleyServer(customise.apply(base).withPort(0));
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("test server did not start", e);
        }
        return new TestServer(server);
    }

    /** Starts with other signaling settings. */
    public static TestServer withSignaling(UnaryOperator<SignalingSettings> customise) {
        return start(c -> c.withSignaling(customise.apply(c.signaling())));
    }

    public ParleyServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public String httpUrl(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    @Override
    public void close() {
        server.close();
    }
}
