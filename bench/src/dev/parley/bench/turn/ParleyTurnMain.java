package dev.parley.bench.turn;

import dev.parley.turn.TurnServer;
import dev.parley.turn.TurnSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs Parley's TURN server alone in its own JVM so the benchmark can account its CPU like
 * coturn's: {@code ParleyTurnMain <udpPort> <relayMin> <relayMax> <secret> [ioThreads]}
 * (0 or absent: one event loop per core, the server's default). Prints "ready" once bound.
 */
public final class ParleyTurnMain {
    private ParleyTurnMain() {
    }

    public static void main(String[] args) throws Exception {
        // as dev.parley.server.Main does: no leak detector unless asked for
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        TurnSettings settings = TurnSettings.defaults()
                .withListen("127.0.0.1", Integer.parseInt(args[0]), -1, -1)
                .withRelay("127.0.0.1", null, null, Integer.parseInt(args[1]), Integer.parseInt(args[2]))
                .withAuth("bench", args[3], Map.of(), Duration.ofHours(1), Duration.ofHours(24))
                .withPeers(List.of("127.0.0.0/8"), List.of())
                .withIoThreads(args.length > 4 ? Integer.parseInt(args[4]) : 0);
        TurnServer server = new TurnServer(settings, new SimpleMeterRegistry());
        server.start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
