package dev.parley.bench.sfu;

import dev.parley.bench.BenchEnvironment;
import dev.parley.testing.MediaReceiveStats;
import dev.parley.testing.SyntheticPeer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SFU forwarding load: starts Parley as its own process on loopback, fills several rooms with
 * synthetic peers (real signaling, ICE, DTLS-SRTP; see {@code SyntheticPeer}) where N publishers
 * each send one VP8-like stream to M subscribers, then, for each send rate, measures forwarded
 * packets/s per core of the server (its CPU from /proc/&lt;pid&gt;/stat), publisher → subscriber
 * latency (p50/p99, send time in the payload, same clock), loss, the server's allocation rate
 * (jvm_gc_memory_allocated_bytes_total) and heap per participant (after GC, jvm_memory_used_bytes).
 *
 * <pre>bench/sfu.sh [--rooms 4] [--publishers 2] [--subscribers 4] [--pps 250,500] [--payload 1000]
 *              [--seconds 10] [--warmup 3] [--verify-every 1] [--jfr]</pre>
 */
public final class SfuBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private int rooms = 4;
    private int publishers = 2;
    private int subscribers = 4;
    private int[] rates = {250, 500};
    private int payload = 1000;
    private int seconds = 10;
    private int warmup = 3;
    private int verifyEvery = 1;
    private boolean jfr;
    private String serverLogLevel = "WARN";

    private int retries;
    private final List<SyntheticPeer> senders = new ArrayList<>();
    private final List<SyntheticPeer> receivers = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        SfuBench bench = new SfuBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rooms" -> bench.rooms = Integer.parseInt(args[++i]);
                case "--publishers" -> bench.publishers = Integer.parseInt(args[++i]);
                case "--subscribers" -> bench.subscribers = Integer.parseInt(args[++i]);
                case "--pps" -> bench.rates = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--payload" -> bench.payload = Integer.parseInt(args[++i]);
                case "--seconds" -> bench.seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> bench.warmup = Integer.parseInt(args[++i]);
                case "--verify-every" -> bench.verifyEvery = Integer.parseInt(args[++i]);
                case "--jfr" -> bench.jfr = true;
                case "--server-log-level" -> bench.serverLogLevel = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        bench.run();
        System.exit(0);
    }

    private void run() throws Exception {
        int port = 19_000 + (int) (ProcessHandle.current().pid() % 1000);
        Process server = startParley(port, serverLogLevel, jfr, "target/bench-sfu-server.log");
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            awaitReady(base);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "sfu");
            result.put("environment", BenchEnvironment.describe());
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("rooms", rooms);
            setup.put("publishers_per_room", publishers);
            setup.put("subscribers_per_room", subscribers);
            setup.put("payload_bytes", payload);
            setup.put("seconds_per_phase", seconds);
            setup.put("warmup_seconds", warmup);
            setup.put("verify_every", verifyEvery);
            setup.put("server_jvm", "-Xmx1g -XX:+UseG1GC" + (jfr ? " + JFR profile" : ""));
            setup.put("load_client", "SyntheticPeer (Java, same machine), one receive thread per connection, one pacing thread");
            result.put("setup", setup);

            long heapBefore = serverHeap(server.pid(), base);
            long connectStart = System.nanoTime();
            connectAll(ws);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            int participants = senders.size() + receivers.size();
            long heapAfter = serverHeap(server.pid(), base);
            long heapPerParticipant = (heapAfter - heapBefore) / Math.max(1, participants);
            result.put("participants", participants);
            result.put("connect_seconds", round(connectSeconds));
            result.put("connect_retries", retries);
            result.put("server_heap_bytes_per_participant", heapPerParticipant);
            System.out.printf("%d participants in %d rooms connected in %.1f s; server heap per participant %d bytes (after GC)%n",
                    participants, rooms, connectSeconds, heapPerParticipant);

            List<Map<String, Object>> phases = new ArrayList<>();
            for (int rate : rates) phases.add(phase(rate, server.pid(), base));
            result.put("phases", phases);
            BenchEnvironment.write("sfu", result);
        } finally {
            for (SyntheticPeer p : senders) p.close();
            for (SyntheticPeer p : receivers) p.close();
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Parley as its own process (-Xmx1g, G1) on 127.0.0.1: HTTP on {@code port}, SFU media on {@code port + 1000}. */
    /** A TCP port free now whose UDP port + 1000 is free too (for {@link #startParley}). */
    static int freePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                if (port + 1000 > 65535) continue;
                try (java.net.DatagramSocket udp = new java.net.DatagramSocket(port + 1000, java.net.InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (java.net.SocketException e) {
                    if (attempt > 20) throw e;
                }
            }
        }
    }

    static Process startParley(int port, String logLevel, boolean jfr, String log, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-XX:+UseG1GC"));
        if (jfr) command.add("-XX:StartFlightRecording=filename=target/sfu-bench.jfr,settings=profile,dumponexit=true");
        command.addAll(List.of("-jar", "target/parley.jar", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--log-level", logLevel, "--sfu-bind", "127.0.0.1", "--sfu-port", String.valueOf(port + 1000),
                "--sfu-announced-address", "127.0.0.1", "--sfu-tcp-port", "0"));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Path.of(log).toFile()).start();
    }

    private void connectAll(URI ws) {
        for (int r = 0; r < rooms; r++) {
            String[] room = {null};
            for (int p = 0; p < publishers; p++) {
                String name = "pub-" + r + "-" + p;
                senders.add(withRetries(name, () -> {
                    SyntheticPeer peer = SyntheticPeer.join(ws, room[0], name, verifyEvery);
                    room[0] = peer.room();
                    return peer;
                }, SyntheticPeer::publish));
            }
            for (int s = 0; s < subscribers; s++) {
                String name = "sub-" + r + "-" + s;
                receivers.add(withRetries(name, () -> SyntheticPeer.join(ws, room[0], name, verifyEvery), peer -> {
                    peer.sfuJoin();
                    peer.awaitTracks(publishers, Duration.ofSeconds(30));
                }));
            }
        }
    }

    /**
     * On this shared 2-core machine a cold server can miss its 10 s DTLS handshake deadline;
     * such a peer is dropped and replaced (counted in the output), up to three attempts.
     */
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
                retries++;
                System.out.println(name + ": attempt " + attempt + " failed (" + rootMessage(e) + "), retrying");
                peer.leave();
            }
        }
        throw last;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    private Map<String, Object> phase(int ppsPerStream, long serverPid, URI base) throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong sentCount = new AtomicLong();
        Thread pacer = new Thread(() -> pace(ppsPerStream, sending, sentCount), "sfu-bench-pacer");
        pacer.setDaemon(true);
        pacer.start();
        sleepKeepingAlive(warmup * 1000L);

        int latencyCapacity = (int) Math.min(2_000_000L, (long) ppsPerStream * publishers * (seconds + 2) / verifyEvery + 1024);
        // Micrometer adds to jvm_gc_memory_allocated_bytes_total at each GC: bracket the window with one.
        gc(serverPid);
        for (SyntheticPeer peer : receivers) peer.stats().reset(latencyCapacity);
        Map<String, Double> metricsBefore = serverMetrics(base);
        double cpuBefore = BenchEnvironment.cpuSeconds(serverPid);
        double clientCpuBefore = BenchEnvironment.cpuSeconds(ProcessHandle.current().pid());
        long sentBefore = sentCount.get();
        long start = System.nanoTime();
        sleepKeepingAlive(seconds * 1000L);
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = BenchEnvironment.cpuSeconds(serverPid) - cpuBefore;
        double clientCpu = BenchEnvironment.cpuSeconds(ProcessHandle.current().pid()) - clientCpuBefore;
        long sent = sentCount.get() - sentBefore;
        long receivedInWindow = 0;
        for (SyntheticPeer peer : receivers) receivedInWindow += peer.stats().packets();
        Map<String, Double> forwardedAfter = serverMetrics(base);
        gc(serverPid);
        Map<String, Double> metricsAfter = serverMetrics(base);
        sending.set(false);
        pacer.join(2000);
        Thread.sleep(300);

        long received = 0;
        long verified = 0;
        long lost = 0;
        long expected = 0;
        long srtpFailures = 0;
        long corrupt = 0;
        List<long[]> parts = new ArrayList<>();
        int samples = 0;
        for (SyntheticPeer peer : receivers) {
            MediaReceiveStats s = peer.stats();
            received += s.packets();
            verified += s.verified();
            lost += s.lost();
            expected += s.expected();
            srtpFailures += s.srtpFailures();
            corrupt += s.corrupt();
            long[] l = s.latencies();
            parts.add(l);
            samples += l.length;
        }
        long[] latencies = new long[samples];
        int at = 0;
        for (long[] l : parts) {
            System.arraycopy(l, 0, latencies, at, l.length);
            at += l.length;
        }
        Arrays.sort(latencies);

        double forwardedServer = delta(metricsBefore, forwardedAfter, "parley_sfu_rtp_packets_total{direction=\"out\"") / wall;
        double inServer = delta(metricsBefore, forwardedAfter, "parley_sfu_rtp_packets_total{direction=\"in\"") / wall;
        double allocated = delta(metricsBefore, metricsAfter, "jvm_gc_memory_allocated_bytes_total") / wall;
        double cores = cpu / wall;
        double forwardedPerCore = cores <= 0 ? 0 : forwardedServer / cores;
        int target = ppsPerStream * publishers * subscribers * rooms;

        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("pps_per_stream", ppsPerStream);
        phase.put("target_forwarded_pps", target);
        phase.put("sent_pps", round(sent / wall));
        phase.put("server_received_pps", round(inServer));
        phase.put("server_forwarded_pps", round(forwardedServer));
        phase.put("subscriber_received_pps", round(receivedInWindow / wall));
        phase.put("server_cpu_cores", round(cores));
        phase.put("forwarded_pps_per_server_core", round(forwardedPerCore));
        phase.put("load_client_cpu_cores", round(clientCpu / wall));
        phase.put("latency_samples", latencies.length);
        phase.put("latency_p50_us", round(BenchEnvironment.percentile(latencies, latencies.length, 50) / 1e3));
        phase.put("latency_p90_us", round(BenchEnvironment.percentile(latencies, latencies.length, 90) / 1e3));
        phase.put("latency_p99_us", round(BenchEnvironment.percentile(latencies, latencies.length, 99) / 1e3));
        phase.put("latency_p999_us", round(BenchEnvironment.percentile(latencies, latencies.length, 99.9) / 1e3));
        phase.put("latency_max_us", round(latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e3));
        phase.put("loss_ratio", expected == 0 ? 0 : round4((double) lost / expected));
        phase.put("packets_verified", verified);
        phase.put("srtp_failures", srtpFailures);
        phase.put("corrupt_payloads", corrupt);
        phase.put("server_allocation_bytes_per_s", Math.round(allocated));
        phase.put("server_allocation_bytes_per_forwarded_packet", forwardedServer <= 0 ? 0 : Math.round(allocated / forwardedServer));
        String load = BenchEnvironment.loadAverage();
        phase.put("load_average_after", load);
        System.out.printf("%4d pps/stream: target %6d fwd/s, server forwarded %8.0f/s on %.2f cores = %8.0f pps/core; "
                        + "latency p50 %.0f us p99 %.0f us max %.0f us; loss %.4f; alloc %.1f MB/s (%d B/pkt); client %.2f cores; load %s%n",
                ppsPerStream, target, forwardedServer, cores, forwardedPerCore,
                BenchEnvironment.percentile(latencies, latencies.length, 50) / 1e3,
                BenchEnvironment.percentile(latencies, latencies.length, 99) / 1e3,
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e3,
                expected == 0 ? 0 : (double) lost / expected, allocated / 1e6,
                forwardedServer <= 0 ? 0 : Math.round(allocated / forwardedServer), clientCpu / wall, load);
        return phase;
    }

    /** One thread sends every publisher's stream at {@code pps}, spread evenly over time. */
    private void pace(int pps, AtomicBoolean sending, AtomicLong sentCount) {
        int streams = senders.size();
        long interval = 1_000_000_000L / ((long) pps * streams);
        long next = System.nanoTime();
        int stream = 0;
        while (sending.get()) {
            long now = System.nanoTime();
            int burst = 0;
            while (next <= now && burst < 10_000) {
                if (senders.get(stream).sendVideo(payload)) sentCount.incrementAndGet();
                stream = stream + 1 == streams ? 0 : stream + 1;
                next += interval;
                burst++;
            }
            long sleep = next - System.nanoTime();
            if (sleep > 100_000) {
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(sleep, 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void sleepKeepingAlive(long millis) throws InterruptedException {
        List<SyntheticPeer> everyone = new ArrayList<>(senders);
        everyone.addAll(receivers);
        sleepKeepingAlive(millis, everyone);
    }

    /** Sleeps, keeping ICE consent fresh on every peer's connections (RFC 7675). */
    static void sleepKeepingAlive(long millis, List<SyntheticPeer> peers) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (SyntheticPeer p : peers) p.keepAlive();
            Thread.sleep(Math.min(500, Math.max(1, end - System.currentTimeMillis())));
        }
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String prefix) {
        return sum(after, prefix) - sum(before, prefix);
    }

    static double sum(Map<String, Double> metrics, String prefix) {
        return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }

    static Map<String, Double> serverMetrics(URI base) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            try {
                metrics.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return metrics;
    }

    static void awaitReady(URI base) throws Exception {
        for (int i = 0; i < 150; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not become ready (see target/bench-sfu-server.log)");
    }

    static void gc(long pid) throws Exception {
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(300);
    }

    /** Server heap after a full GC, read from its own Prometheus metrics. */
    private static long serverHeap(long pid, URI base) throws Exception {
        gc(pid);
        return (long) sum(serverMetrics(base).entrySet().stream().filter(e -> e.getKey().contains("area=\"heap\""))
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll), "jvm_memory_used_bytes{");
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
