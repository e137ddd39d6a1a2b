package dev.parley.bench.sfu;

import dev.parley.bench.BenchEnvironment;
import dev.parley.testing.SyntheticPeer;
import dev.parley.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group-call load (issue 7): Parley as its own process on loopback; synthetic participants (real
 * signaling, ICE, DTLS-SRTP; {@code SyntheticPeer}) that each publish one video as 3-layer
 * simulcast (rids q/h/f, VP8-like frames with a key frame every second per layer) plus Opus-like
 * audio with audio levels, and subscribe to everyone else in their room, asking the SFU with
 * {@code sfu-constraints} for the tile height their grid shows and a last-N. Two scenarios, each
 * on a fresh server: rooms of 10 (every tile 360 px: the h layer), and one room of 100 with
 * last-N 16 (tiles 180 px: the q layer). Measures per participant upload and download Mbps and
 * server CPU, and forwarded packets/s per server core (CPU from /proc/&lt;pid&gt;/stat).
 *
 * <pre>bench/sfu-group.sh [--rooms 2] [--room-size 10] [--big-room 100] [--last-n 16]
 *     [--layers-kbps 150,500,1500] [--tile 360] [--big-tile 180] [--payload 1100] [--seconds 15] [--warmup 5]
 *     [--talkers 10]</pre>
 */
public final class GroupBench {
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    private static final int AUDIO_PPS = 50;
    private static final int AUDIO_PAYLOAD = 80;

    private int rooms = 2;
    private int roomSize = 10;
    private int bigRoom = 100;
    private int lastN = 16;
    /** Participants of a room beyond this many are muted and send no audio (large-room clients join muted). */
    private int talkers = 10;
    private int audioSenders = Integer.MAX_VALUE;
    private int[] layersKbps = {150, 500, 1500};
    private int tile = 360;
    private int bigTile = 180;
    private int payload = 1100;
    private int seconds = 15;
    private int warmup = 5;
    private final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();

    public static void main(String[] args) throws Exception {
        // 100 people joining one room keep the server busy renegotiating: give its answers time.
        System.setProperty("synthetic.requestTimeoutSeconds", "60");
        GroupBench bench = new GroupBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rooms" -> bench.rooms = Integer.parseInt(args[++i]);
                case "--room-size" -> bench.roomSize = Integer.parseInt(args[++i]);
                case "--big-room" -> bench.bigRoom = Integer.parseInt(args[++i]);
                case "--last-n" -> bench.lastN = Integer.parseInt(args[++i]);
                case "--talkers" -> bench.talkers = Integer.parseInt(args[++i]);
                case "--layers-kbps" -> bench.layersKbps = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--tile" -> bench.tile = Integer.parseInt(args[++i]);
                case "--big-tile" -> bench.bigTile = Integer.parseInt(args[++i]);
                case "--payload" -> bench.payload = Integer.parseInt(args[++i]);
                case "--seconds" -> bench.seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bench.layersKbps.length != RIDS.length) throw new IllegalArgumentException("--layers-kbps needs 3 rates");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "sfu-group");
        result.put("environment", BenchEnvironment.describe());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("layers", "q 320x180 / h 640x360 / f 1280x720, one RTP packet per frame, key frame every second per layer");
        setup.put("layers_kbps", bench.layersKbps);
        setup.put("video_payload_bytes", bench.payload);
        setup.put("audio", AUDIO_PPS + " pps x " + AUDIO_PAYLOAD + " B with RFC 6464 audio level; in a room larger than "
                + bench.talkers + " only " + bench.talkers + " participants send audio, the rest are muted (send none)");
        setup.put("seconds", bench.seconds);
        setup.put("warmup_seconds", bench.warmup);
        setup.put("server_jvm", "-Xmx1g -XX:+UseG1GC");
        setup.put("load_client", "SyntheticPeer (Java, same machine), one pacing thread");
        result.put("setup", setup);
        List<Map<String, Object>> scenarios = new ArrayList<>();
        result.put("scenarios", scenarios);
        int status = 0;
        try {
            if (bench.rooms > 0) {
                scenarios.add(bench.attempt("rooms of " + bench.roomSize, bench.rooms, bench.roomSize, bench.tile, bench.lastN));
                BenchEnvironment.write("sfu-group", result);
            }
            if (bench.bigRoom > 0) {
                scenarios.add(bench.attempt("one room of " + bench.bigRoom + ", last-N " + bench.lastN, 1, bench.bigRoom,
                        bench.bigTile, bench.lastN));
                BenchEnvironment.write("sfu-group", result);
            }
            for (Map<String, Object> s : scenarios) if (s.containsKey("failed")) status = 1;
        } finally {
            System.exit(status); // the peers' threads must not outlive a failed scenario
        }
    }

    /** A scenario's figures, or what made it fail (with the load average then), so the others still count. */
    private Map<String, Object> attempt(String label, int roomCount, int size, int maxHeight, int n) {
        try {
            return scenario(label, roomCount, size, maxHeight, n);
        } catch (Exception | AssertionError e) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("scenario", label);
            failed.put("participants", roomCount * size);
            failed.put("failed", SfuBench.rootMessage(e));
            failed.put("connect_retries", retries.get());
            failed.put("load_average_after", BenchEnvironment.loadAverage());
            System.out.println(label + ": FAILED: " + SfuBench.rootMessage(e));
            return failed;
        }
    }

    private Map<String, Object> scenario(String label, int roomCount, int size, int maxHeight, int n) throws Exception {
        audioSenders = size > talkers ? talkers : Integer.MAX_VALUE;
        int port = SfuBench.freePort();
        // A subscribe answer for 99 people (198 m-lines) with ICE/DTLS attributes in every m-line, as
        // Chromium writes it, is ~90 kB: over the 64 KiB signaling message limit and the 60,000-character
        // sdp field. The synthetic answers name them once (RFC 8843 §7.3.1, ~30 kB), and the message
        // limit is raised so that the size of a message is not what this benchmark measures.
        Process server = SfuBench.startParley(port, System.getProperty("group.serverLogLevel", "WARN"), false, "target/bench-sfu-group-server.log",
                "--ws-max-message-bytes", "1048576");
        List<SyntheticPeer> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Consent freshness (RFC 7675) for every connection, whatever the signaling threads wait for.
        Thread keeper = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (SyntheticPeer q : peers) q.keepAlive();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "group-bench-consent");
        keeper.setDaemon(true);
        keeper.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            SfuBench.awaitReady(base);
            long start = System.nanoTime();
            // Each participant's signaling runs on its own thread, as in a browser tab: it joins,
            // publishes, sets its constraints and then answers every subscribe offer until it has
            // everyone else's audio and video (last-N pauses videos at the SFU, not in the SDP).
            // At most 2 join and handshake at once so that a loaded machine keeps DTLS in time.
            java.util.concurrent.Semaphore joining = new java.util.concurrent.Semaphore(2);
            java.util.concurrent.ExecutorService tabs = java.util.concurrent.Executors.newFixedThreadPool(roomCount * size, r -> {
                Thread t = new Thread(r, "group-bench-tab");
                t.setDaemon(true);
                return t;
            });
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int r = 0; r < roomCount; r++) {
                String[] room = {null};
                for (int p = 0; p < size; p++) {
                    String name = "p-" + r + "-" + p;
                    boolean first = p == 0;
                    java.util.concurrent.Callable<SyntheticPeer> setUp = () -> withRetries(name,
                            () -> SyntheticPeer.join(ws, room[0], name, 50).answerWithTransportOnce(), x -> {
                                x.publishSimulcast(true, List.of(RIDS));
                                x.request(WsClient.msg("sfu-constraints", "defaultMaxHeight", maxHeight, "lastN", n));
                            });
                    if (first) {
                        SyntheticPeer peer = setUp.call();
                        room[0] = peer.room();
                        peers.add(peer);
                        done.add(tabs.submit(() -> peer.awaitTracks(2 * (size - 1), Duration.ofSeconds(300))));
                        continue;
                    }
                    done.add(tabs.submit(() -> {
                        SyntheticPeer peer;
                        joining.acquire();
                        try {
                            peer = setUp.call();
                        } finally {
                            joining.release();
                        }
                        peers.add(peer);
                        return peer.awaitTracks(2 * (size - 1), Duration.ofSeconds(300));
                    }));
                }
            }
            try {
                for (java.util.concurrent.Future<?> f : done) f.get();
            } finally {
                tabs.shutdownNow();
            }
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d participants connected in %.1f s (%d retries)%n", label, peers.size(), connectSeconds, retries.get());

            AtomicBoolean sending = new AtomicBoolean(true);
            Thread pacer = new Thread(() -> pace(peers, sending), "group-bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
            Thread.sleep(warmup * 1000L);
            for (SyntheticPeer peer : peers) peer.stats().reset(1024);
            long[] sentBefore = peers.stream().mapToLong(p -> p.layerBytesSent()).toArray();
            Map<String, Double> before = SfuBench.serverMetrics(base);
            double cpuBefore = BenchEnvironment.cpuSeconds(server.pid());
            double clientBefore = BenchEnvironment.cpuSeconds(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = BenchEnvironment.cpuSeconds(server.pid()) - cpuBefore;
            double clientCpu = BenchEnvironment.cpuSeconds(ProcessHandle.current().pid()) - clientBefore;
            Map<String, Double> after = SfuBench.serverMetrics(base);
            String load = BenchEnvironment.loadAverage();
            long videoUp = 0;
            long down = 0;
            long received = 0;
            long lost = 0;
            long expected = 0;
            for (int i = 0; i < peers.size(); i++) {
                SyntheticPeer p = peers.get(i);
                videoUp += p.layerBytesSent() - sentBefore[i];
                down += p.stats().bytes();
                received += p.stats().packets();
                lost += p.stats().lost();
                expected += p.stats().expected();
            }
            sending.set(false);
            pacer.join(2000);

            int participants = peers.size();
            double audioUpBps = AUDIO_PPS * (AUDIO_PAYLOAD + 12 + 8 + 10) * 8.0 * Math.min(participants, audioSenders) / participants;
            double upMbps = (videoUp * 8.0 / wall / participants + audioUpBps) / 1e6;
            double downMbps = down * 8.0 / wall / participants / 1e6;
            double forwarded = SfuBench.delta(before, after, "parley_sfu_rtp_packets_total{direction=\"out\"") / wall;
            double in = SfuBench.delta(before, after, "parley_sfu_rtp_packets_total{direction=\"in\"") / wall;
            double cores = cpu / wall;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("scenario", label);
            s.put("rooms", roomCount);
            s.put("participants", participants);
            s.put("tile_max_height", maxHeight);
            s.put("last_n", n);
            s.put("audio_senders", Math.min(participants, audioSenders));
            s.put("connect_seconds", SfuBench.round(connectSeconds));
            s.put("connect_retries", retries.get());
            s.put("upload_mbps_per_participant", SfuBench.round(upMbps));
            s.put("download_mbps_per_participant", SfuBench.round(downMbps));
            s.put("server_received_pps", SfuBench.round(in));
            s.put("server_forwarded_pps", SfuBench.round(forwarded));
            s.put("subscriber_received_pps", SfuBench.round(received / wall));
            s.put("loss_ratio", expected == 0 ? 0 : SfuBench.round4((double) lost / expected));
            s.put("server_cpu_cores", SfuBench.round(cores));
            s.put("server_cpu_percent_of_core_per_participant", SfuBench.round(100 * cores / participants));
            s.put("forwarded_pps_per_server_core", SfuBench.round(cores <= 0 ? 0 : forwarded / cores));
            s.put("load_client_cpu_cores", SfuBench.round(clientCpu / wall));
            s.put("load_average_after", load);
            System.out.printf("%s: up %.2f Mbps, down %.2f Mbps per participant; server in %.0f pps, forwarded %.0f pps on %.2f cores "
                            + "= %.0f pps/core, %.2f %% of a core per participant; loss %.4f; client %.2f cores; load %s%n",
                    label, upMbps, downMbps, in, forwarded, cores, cores <= 0 ? 0 : forwarded / cores, 100 * cores / participants,
                    expected == 0 ? 0 : (double) lost / expected, clientCpu / wall, load);
            return s;
        } finally {
            keeper.interrupt();
            for (SyntheticPeer p : peers) p.close();
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private SyntheticPeer withRetries(String name, java.util.function.Supplier<SyntheticPeer> join,
            java.util.function.Consumer<SyntheticPeer> setUp) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            SyntheticPeer peer = join.get();
            try {
                setUp.accept(peer);
                return peer;
            } catch (RuntimeException e) {
                last = e;
                retries.incrementAndGet();
                System.out.println(name + ": attempt " + attempt + " failed (" + SfuBench.rootMessage(e) + "), retrying");
                peer.leave();
            }
        }
        throw last;
    }

    /**
     * One thread sends every participant's three layers and audio at their rates: each stream
     * owes floor(elapsed × pps) packets; a layer's first frame and every pps-th after it is a key frame.
     */
    private void pace(List<SyntheticPeer> peers, AtomicBoolean sending) {
        double[] pps = new double[RIDS.length];
        for (int l = 0; l < RIDS.length; l++) pps[l] = layersKbps[l] * 1000.0 / 8 / (payload + 12 + 8 + 10);
        long[][] sent = new long[peers.size()][RIDS.length + 1];
        long start = System.nanoTime();
        while (sending.get()) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < peers.size(); i++) {
                SyntheticPeer peer = peers.get(i);
                // stagger participants so their frames do not all leave at once
                double t = elapsed + (double) i / peers.size();
                for (int l = 0; l < RIDS.length; l++) {
                    long owed = (long) (t * pps[l]);
                    int keyInterval = Math.max(1, (int) Math.round(pps[l]));
                    while (sent[i][l] < owed) {
                        boolean key = sent[i][l] % keyInterval == 0;
                        peer.sendLayer(l, payload, key, SIZES[l][0], SIZES[l][1]);
                        sent[i][l]++;
                    }
                }
                long owedAudio = (long) (t * AUDIO_PPS);
                while (sent[i][RIDS.length] < owedAudio && i < audioSenders) {
                    // one participant in ten speaks, the others are quiet
                    peer.sendAudio(AUDIO_PAYLOAD, i % 10 == 0 ? 20 : 100);
                    sent[i][RIDS.length]++;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
