package dev.parley.bench.sfu;

import dev.parley.bench.BenchEnvironment;
import dev.parley.testing.JanusPeer;
import dev.parley.testing.MediaReceiveStats;
import dev.parley.testing.SyntheticPeer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Parley and Janus (Debian {@code janus}, VideoRoom plugin) side by side under the same load,
 * measured alternately in one run: R rooms, each with P publishers of one VP8-like video stream
 * at the same packet rate and S subscribers receiving every publisher. The load client is the
 * same synthetic WebRTC peer for both (ICE, DTLS client, SRTP, {@code MediaReceiveStats}); only
 * the signaling differs (Parley's WebSocket protocol, Janus's HTTP API: {@code JanusPeer}).
 * Forwarded packets are counted where they arrive, at the subscribers, for both servers; CPU is
 * each server process's utime+stime from /proc/&lt;pid&gt;/stat. Without simulcast: Janus's
 * VideoRoom simulcast needs rid/mid extension handling that is not the point of this ratio.
 *
 * <p>Must run inside {@code scripts/netns}: Janus skips loopback interfaces for ICE, so it
 * offers the namespace's veth address (127.10.0.1 on pv0).
 *
 * <pre>scripts/netns bench/sfu-janus.sh [--rooms 2] [--publishers 3] [--subscribers 6] [--pps 200,600]
 *     [--payload 1000] [--seconds 12] [--warmup 4] [--rounds 2]</pre>
 */
public final class JanusBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private int rooms = 2;
    private int publishers = 3;
    private int subscribers = 6;
    private int[] rates = {200, 600};
    private int payload = 1000;
    private int seconds = 12;
    private int warmup = 4;
    private int rounds = 2;
    private String iface = "pv0";

    /** What the pacer and the measurement need from either kind of peer. */
    private record Peer(java.util.function.IntPredicate send, java.util.function.Supplier<MediaReceiveStats> statsOf,
            Runnable keepAlive, Runnable close) {
        boolean sendVideo(int payloadBytes) {
            return send.test(payloadBytes);
        }

        MediaReceiveStats stats() {
            return statsOf.get();
        }

        static Peer of(SyntheticPeer p) {
            return new Peer(p::sendVideo, p::stats, p::keepAlive, p::close);
        }

        static Peer of(JanusPeer p) {
            return new Peer(p::sendVideo, p::stats, p::keepAlive, p::close);
        }
    }

    public static void main(String[] args) throws Exception {
        JanusBench bench = new JanusBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rooms" -> bench.rooms = Integer.parseInt(args[++i]);
                case "--publishers" -> bench.publishers = Integer.parseInt(args[++i]);
                case "--subscribers" -> bench.subscribers = Integer.parseInt(args[++i]);
                case "--pps" -> bench.rates = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--payload" -> bench.payload = Integer.parseInt(args[++i]);
                case "--seconds" -> bench.seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> bench.rounds = Integer.parseInt(args[++i]);
                case "--interface" -> bench.iface = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        bench.run();
        System.exit(0);
    }

    private void run() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "sfu-janus");
        result.put("environment", BenchEnvironment.describe());
        result.put("janus_version", version());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("rooms", rooms);
        setup.put("publishers_per_room", publishers);
        setup.put("subscribers_per_room", subscribers);
        setup.put("pps_per_stream", rates);
        setup.put("payload_bytes", payload);
        setup.put("target_forwarded_pps", java.util.Arrays.stream(rates).map(r -> rooms * publishers * subscribers * r).toArray());
        setup.put("seconds", seconds);
        setup.put("warmup_seconds", warmup);
        setup.put("parley", "own process, -Xmx1g -XX:+UseG1GC, ICE-lite on 127.0.0.1");
        setup.put("janus", "janus -F <private config>: VideoRoom plugin and HTTP transport only, full ICE (libnice) on the netns veth 127.10.0.1, debug_level 3");
        setup.put("load_client", "JanusPeer / SyntheticPeer (Java, same machine, sockets on 127.10.0.1), one pacing thread");
        setup.put("simulcast", false);
        result.put("setup", setup);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            runs.addAll(measureParley(round));
            runs.addAll(measureJanus(round));
        }
        result.put("runs", runs);
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (int rate : rates) {
            double[] parley = totals(runs, "parley", rate);
            double[] janus = totals(runs, "janus", rate);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pps_per_stream", rate);
            r.put("target_forwarded_pps", rooms * publishers * subscribers * rate);
            r.put("parley_forwarded_packets_per_cpu_second", SfuBench.round(parley[0] / parley[1]));
            r.put("janus_forwarded_packets_per_cpu_second", SfuBench.round(janus[0] / janus[1]));
            r.put("ratio_parley_over_janus", SfuBench.round(parley[0] / parley[1] / (janus[0] / janus[1])));
            ratios.add(r);
            System.out.printf("%d pps/stream: forwarded packets per CPU-second: Parley %.0f, Janus %.0f; ratio Parley/Janus %.2f (goal >= 1.5)%n",
                    rate, parley[0] / parley[1], janus[0] / janus[1], parley[0] / parley[1] / (janus[0] / janus[1]));
        }
        result.put("ratios", ratios);
        BenchEnvironment.write("sfu-janus", result);
    }

    /** Forwarded packets and CPU seconds of one server at one rate, over every round. */
    private static double[] totals(List<Map<String, Object>> runs, String server, int rate) {
        double[] t = new double[2];
        for (Map<String, Object> m : runs) {
            if (!m.get("server").equals(server) || (int) m.get("pps_per_stream") != rate) continue;
            t[0] += (double) m.get("forwarded_packets");
            t[1] += (double) m.get("server_cpu_seconds");
        }
        return t;
    }

    private List<Map<String, Object>> measure(String serverName, int round, long pid, List<Peer> pubs, List<Peer> subs)
            throws Exception {
        List<Map<String, Object>> phases = new ArrayList<>();
        for (int rate : rates) phases.add(measure(serverName, round, rate, pid, pubs, subs));
        return phases;
    }

    private List<Map<String, Object>> measureParley(int round) throws Exception {
        int port = SfuBench.freePort();
        Process server = SfuBench.startParley(port, "WARN", false, "target/bench-sfu-janus-parley.log");
        List<Peer> pubs = new ArrayList<>();
        List<Peer> subs = new ArrayList<>();
        try {
            SfuBench.awaitReady(URI.create("http://127.0.0.1:" + port));
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            for (int r = 0; r < rooms; r++) {
                String room = null;
                for (int p = 0; p < publishers; p++) {
                    SyntheticPeer peer = SyntheticPeer.join(ws, room, "pub-" + r + "-" + p, 50);
                    room = peer.room();
                    pubs.add(Peer.of(peer));
                    peer.publish();
                }
                for (int s = 0; s < subscribers; s++) {
                    SyntheticPeer peer = SyntheticPeer.join(ws, room, "sub-" + r + "-" + s, 50);
                    subs.add(Peer.of(peer));
                    peer.sfuJoin();
                    peer.awaitTracks(publishers, Duration.ofSeconds(60));
                }
            }
            return measure("parley", round, server.pid(), pubs, subs);
        } finally {
            for (Peer p : pubs) p.close().run();
            for (Peer p : subs) p.close().run();
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private List<Map<String, Object>> measureJanus(int round) throws Exception {
        int port = SfuBench.freePort();
        Path folder = Path.of("target/janus").toAbsolutePath();
        Files.createDirectories(folder);
        for (String file : List.of("janus.jcfg", "janus.transport.http.jcfg", "janus.plugin.videoroom.jcfg")) {
            String text = Files.readString(Path.of("bench/janus", file)).replace("@FOLDER@", folder.toString())
                    .replace("@INTERFACE@", iface).replace("@PORT@", String.valueOf(port));
            Files.writeString(folder.resolve(file), text);
        }
        Process server = new ProcessBuilder("janus", "-F", folder.toString(), "-C", folder.resolve("janus.jcfg").toString(), "-o")
                .redirectErrorStream(true).redirectOutput(Path.of("target/bench-sfu-janus-janus.log").toFile()).start();
        List<Peer> pubs = new ArrayList<>();
        List<Peer> subs = new ArrayList<>();
        try {
            URI base = URI.create("http://127.0.0.1:" + port + "/janus");
            awaitJanus(base);
            for (int r = 0; r < rooms; r++) {
                JanusPeer admin = JanusPeer.connect(base, "admin-" + r, 1);
                long room = admin.createRoom(Math.max(publishers, 6));
                admin.close();
                List<Long> feeds = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    JanusPeer peer = JanusPeer.connect(base, "pub-" + r + "-" + p, 50);
                    pubs.add(Peer.of(peer));
                    feeds.add(peer.publish(room));
                }
                for (int s = 0; s < subscribers; s++) {
                    JanusPeer peer = JanusPeer.connect(base, "sub-" + r + "-" + s, 50);
                    subs.add(Peer.of(peer));
                    peer.subscribe(room, feeds);
                }
            }
            return measure("janus", round, server.pid(), pubs, subs);
        } finally {
            for (Peer p : pubs) p.close().run();
            for (Peer p : subs) p.close().run();
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Map<String, Object> measure(String serverName, int round, int pps, long pid, List<Peer> pubs, List<Peer> subs)
            throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread pacer = new Thread(() -> pace(pubs, pps, sending), "janus-bench-pacer");
        pacer.setDaemon(true);
        pacer.start();
        sleepKeepingAlive(pubs, subs, warmup * 1000L);
        for (Peer s : subs) s.stats().reset(1024);
        double cpuBefore = BenchEnvironment.cpuSeconds(pid);
        long start = System.nanoTime();
        sleepKeepingAlive(pubs, subs, seconds * 1000L);
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = BenchEnvironment.cpuSeconds(pid) - cpuBefore;
        long received = 0;
        long lost = 0;
        long expected = 0;
        for (Peer s : subs) {
            received += s.stats().packets();
            lost += s.stats().lost();
            expected += s.stats().expected();
        }
        sending.set(false);
        pacer.join(2000);
        String load = BenchEnvironment.loadAverage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", serverName);
        m.put("round", round);
        m.put("pps_per_stream", pps);
        m.put("seconds", SfuBench.round(wall));
        m.put("forwarded_packets", (double) received);
        m.put("forwarded_pps", SfuBench.round(received / wall));
        m.put("server_cpu_seconds", SfuBench.round(cpu));
        m.put("server_cpu_cores", SfuBench.round(cpu / wall));
        m.put("forwarded_packets_per_cpu_second", SfuBench.round(cpu <= 0 ? 0 : received / cpu));
        m.put("loss_ratio", expected == 0 ? 0 : SfuBench.round4((double) lost / expected));
        m.put("load_average_after", load);
        System.out.printf("round %d %-6s %d pps/stream: forwarded %.0f pps on %.3f cores = %.0f packets per CPU-second; loss %.4f; load %s%n",
                round, serverName, pps, received / wall, cpu / wall, cpu <= 0 ? 0 : received / cpu,
                expected == 0 ? 0 : (double) lost / expected, load);
        return m;
    }

    /** One thread sends every publisher's stream at {@code pps}, spread evenly. */
    private void pace(List<Peer> pubs, int pps, AtomicBoolean sending) {
        long[] sent = new long[pubs.size()];
        long start = System.nanoTime();
        while (sending.get()) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < pubs.size(); i++) {
                long owed = (long) ((elapsed + (double) i / pubs.size() / pps) * pps);
                while (sent[i] < owed) {
                    pubs.get(i).sendVideo(payload);
                    sent[i]++;
                }
            }
            try {
                TimeUnit.MICROSECONDS.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepKeepingAlive(List<Peer> pubs, List<Peer> subs, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (Peer p : pubs) p.keepAlive().run();
            for (Peer p : subs) p.keepAlive().run();
            Thread.sleep(Math.min(500, Math.max(1, end - System.currentTimeMillis())));
        }
    }

    private static void awaitJanus(URI base) throws Exception {
        URI info = URI.create(base + "/info");
        for (int i = 0; i < 100; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(info).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Janus did not start (see target/bench-sfu-janus-janus.log)");
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder("janus", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "unknown: " + e;
        }
    }
}
