package dev.parley.bench.sfu;

import dev.parley.bench.BenchEnvironment;
import dev.parley.testing.SyntheticPeer;
import dev.parley.testing.SyntheticSdp;
import dev.parley.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group call load (issue 7): Parley as its own process on loopback and one room of P synthetic
 * participants (real signaling, ICE, DTLS-SRTP). Every participant publishes Opus-like audio
 * (50 packets/s; only {@code --speakers} of them talk, the rest are silent as with Opus DTX) and
 * VP8-like video in three simulcast layers (q 16, h 50, f 150 packets/s of 1000-byte payloads:
 * ≈ 0.13 / 0.4 / 1.2 Mbit/s), and subscribes to everyone else with the group app's constraints:
 * one participant on stage at {@code --stage-height}, the grid at {@code --tile-height}, at most
 * {@code --last-n} videos. Measures per participant upload and download (RTP bytes through the
 * server), server CPU per participant, forwarded packets per second per core, and allocation.
 *
 * <pre>bench/group.sh [--participants 10] [--last-n 16] [--speakers 1] [--stage-height 720]
 *                [--tile-height 360] [--seconds 10] [--warmup 4] [--name group]</pre>
 */
public final class GroupCallBench {
    private int participants = 10;
    private int lastN = 16;
    private int speakers = 1;
    private int stageHeight = 720;
    private int tileHeight = 360;
    private int seconds = 10;
    private int warmup = 4;
    private String name = "group";
    private final List<SyntheticPeer> peers = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        GroupCallBench bench = new GroupCallBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--participants" -> bench.participants = Integer.parseInt(args[++i]);
                case "--last-n" -> bench.lastN = Integer.parseInt(args[++i]);
                case "--speakers" -> bench.speakers = Integer.parseInt(args[++i]);
                case "--stage-height" -> bench.stageHeight = Integer.parseInt(args[++i]);
                case "--tile-height" -> bench.tileHeight = Integer.parseInt(args[++i]);
                case "--seconds" -> bench.seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                case "--name" -> bench.name = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        bench.run();
        System.exit(0);
    }

    private void run() throws Exception {
        int port = 0;
        while (port == 0 || port > 64_000) { // a free port the OS picked; media goes on port + 1000
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        }
        Process server = SfuBench.startParley(port, "WARN", false, "target/bench-group-server.log",
                "--turn", "off", "--max-room-size", String.valueOf(Math.max(100, participants)),
                // a subscribe answer has one m-line per track: 100 people need about 100 KB
                "--ws-max-message-bytes", "1048576");
        AtomicBoolean sending = new AtomicBoolean(true);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            SfuBench.awaitReady(base);
            long connectStart = System.nanoTime();
            String room = null;
            for (int i = 0; i < participants; i++) {
                SyntheticPeer peer = SyntheticPeer.join(ws, room, "p" + i, 16);
                room = peer.room();
                peer.publishSimulcast(true, SyntheticSdp.SIMULCAST_RIDS);
                peers.add(peer);
            }
            String stage = peers.get(0).peerId();
            // Everyone answers their offers at once (a late answer finds its transport timed out).
            java.util.concurrent.ExecutorService answering = java.util.concurrent.Executors.newFixedThreadPool(Math.min(32, participants));
            List<java.util.concurrent.Future<?>> subscribed = new ArrayList<>();
            for (SyntheticPeer peer : peers) {
                String onStage = peer.peerId().equals(stage) ? peers.get(1).peerId() : stage;
                subscribed.add(answering.submit(() -> {
                    // the stage video is mid 1 of its publisher (audio is mid 0): track id "<peer>-1"
                    peer.request(WsClient.msg("sfu-constraints", "maxHeight", Map.of(onStage + "-1", stageHeight),
                            "defaultMaxHeight", tileHeight, "onStage", List.of(onStage), "lastN", lastN));
                    peer.awaitTracks(2 * (participants - 1), Duration.ofSeconds(120));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : subscribed) f.get();
            answering.shutdown();
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            System.out.printf("%d participants connected in %.1f s%n", participants, connectSeconds);

            Thread pacer = new Thread(() -> pace(sending), "group-bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
            SfuBench.sleepKeepingAlive(warmup * 1000L, peers);
            SfuBench.gc(server.pid());
            Map<String, Double> before = SfuBench.serverMetrics(base);
            double cpuBefore = BenchEnvironment.cpuSeconds(server.pid());
            double clientCpuBefore = BenchEnvironment.cpuSeconds(ProcessHandle.current().pid());
            long start = System.nanoTime();
            SfuBench.sleepKeepingAlive(seconds * 1000L, peers);
            double wall = (System.nanoTime() - start) / 1e9;
            double cores = (BenchEnvironment.cpuSeconds(server.pid()) - cpuBefore) / wall;
            double clientCores = (BenchEnvironment.cpuSeconds(ProcessHandle.current().pid()) - clientCpuBefore) / wall;
            Map<String, Double> windowEnd = SfuBench.serverMetrics(base);
            SfuBench.gc(server.pid());
            Map<String, Double> after = SfuBench.serverMetrics(base);
            sending.set(false);
            pacer.join(2000);

            double bytesIn = SfuBench.delta(before, windowEnd, "parley_sfu_rtp_bytes_total{direction=\"in\"") / wall;
            double bytesOut = SfuBench.delta(before, windowEnd, "parley_sfu_rtp_bytes_total{direction=\"out\"") / wall;
            double packetsOut = SfuBench.delta(before, windowEnd, "parley_sfu_rtp_packets_total{direction=\"out\"") / wall;
            double packetsIn = SfuBench.delta(before, windowEnd, "parley_sfu_rtp_packets_total{direction=\"in\"") / wall;
            double allocated = SfuBench.delta(before, after, "jvm_gc_memory_allocated_bytes_total") / wall;
            double streams = peers.stream().mapToInt(p -> p.stats().receivedSsrcs().length).average().orElse(0);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "group-call");
            result.put("environment", BenchEnvironment.describe());
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("participants", participants);
            setup.put("last_n", lastN);
            setup.put("speakers", speakers);
            setup.put("stage_height", stageHeight);
            setup.put("tile_height", tileHeight);
            setup.put("layers", "q 16 pps, h 50 pps, f 150 pps of 1000-byte payloads; audio 50 pps of 80 bytes from each speaker");
            setup.put("seconds", seconds);
            setup.put("warmup_seconds", warmup);
            result.put("setup", setup);
            result.put("connect_seconds", SfuBench.round(connectSeconds));
            result.put("streams_received_per_participant", SfuBench.round(streams));
            result.put("upload_mbps_per_participant", SfuBench.round(bytesIn * 8 / 1e6 / participants));
            result.put("download_mbps_per_participant", SfuBench.round(bytesOut * 8 / 1e6 / participants));
            result.put("server_received_pps", SfuBench.round(packetsIn));
            result.put("server_forwarded_pps", SfuBench.round(packetsOut));
            result.put("server_cpu_cores", SfuBench.round(cores));
            result.put("server_cpu_cores_per_participant", SfuBench.round4(cores / participants));
            result.put("forwarded_pps_per_server_core", SfuBench.round(cores <= 0 ? 0 : packetsOut / cores));
            result.put("server_allocation_bytes_per_forwarded_packet", packetsOut <= 0 ? 0 : Math.round(allocated / packetsOut));
            result.put("load_client_cpu_cores", SfuBench.round(clientCores));
            System.out.printf("%d participants (last-N %d): up %.2f Mbit/s and down %.2f Mbit/s per participant; server %.0f pps in, "
                            + "%.0f pps out on %.2f cores (%.3f cores per participant, %.0f fwd pps/core); alloc %d B/fwd pkt; "
                            + "%.1f streams received per participant; client %.2f cores%n",
                    participants, lastN, bytesIn * 8 / 1e6 / participants, bytesOut * 8 / 1e6 / participants, packetsIn, packetsOut,
                    cores, cores / participants, cores <= 0 ? 0 : packetsOut / cores,
                    packetsOut <= 0 ? 0 : Math.round(allocated / packetsOut), streams, clientCores);
            BenchEnvironment.write(name, result);
        } finally {
            sending.set(false);
            for (SyntheticPeer p : peers) p.close();
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Every 20 ms: audio from the speakers, and the three video layers at their rates from everyone. */
    private void pace(AtomicBoolean sending) {
        long next = System.nanoTime();
        long tick = 0;
        while (sending.get()) {
            for (int i = 0; i < peers.size(); i++) {
                SyntheticPeer peer = peers.get(i);
                if (i < speakers) peer.sendAudio(80, 20);
                if (tick % 3 == 0) peer.sendVideoLayer(0, 1000);
                peer.sendVideoLayer(1, 1000);
                for (int k = 0; k < 3; k++) peer.sendVideoLayer(2, 1000);
            }
            tick++;
            next += 20_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
