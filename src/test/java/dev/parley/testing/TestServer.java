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

    /**
     * Cluster mode: waits until this node's last heartbeat counted {@code nodes} live nodes (their URLs,
     * which the WebSocket Origin check allows, are read before the count); fails after 30 s.
     */
    public void awaitClusterNodes(int nodes) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.metrics().find("parley.cluster.nodes").gauge().value() < nodes) {
            if (System.nanoTime() > deadline) throw new AssertionError("the cluster never had " + nodes + " live nodes seen from port " + port());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
