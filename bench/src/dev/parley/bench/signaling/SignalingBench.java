package dev.parley.bench.signaling;

import dev.parley.bench.BenchEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Signaling load: starts Parley as a separate process on loopback, connects N WebSocket clients
 * joined in rooms of two, then relays messages between the pairs at increasing rates and reports
 * connections held, delivered messages/s, relay latency (p50/p99) and server heap per connection.
 *
 * <p>{@code --cluster}: cluster mode instead. Starts a redis-server and two Parley processes on it;
 * the two clients of every pair are on different nodes, so every relay crosses Redis. Results go
 * to {@code bench/results/signaling-cluster.json}; CPU is the sum of both nodes (Redis not included).
 *
 * <pre>bench/signaling.sh [--clients 10000] [--rates 2000,5000,10000,20000] [--seconds 10] [--cluster]</pre>
 */
public final class SignalingBench {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "bench-client");
                t.setDaemon(true);
                return t;
            })).build();

    private final int clients;
    private final int[] rates;
    private final int seconds;
    private final boolean cluster;
    private final List<Client> all = new ArrayList<>();
    private volatile long[] samples = new long[1];
    private final AtomicInteger sampleCount = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();

    private SignalingBench(int clients, int[] rates, int seconds, boolean cluster) {
        this.clients = clients;
        this.rates = rates;
        this.seconds = seconds;
        this.cluster = cluster;
    }

    public static void main(String[] args) throws Exception {
        int clients = 10_000;
        int[] rates = {2_000, 5_000, 10_000, 20_000};
        int seconds = 10;
        boolean cluster = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--cluster")) {
                cluster = true;
                i--;
                continue;
            }
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new SignalingBench(clients - clients % 2, rates, seconds, cluster).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int port = 18_000 + (int) (ProcessHandle.current().pid() % 1000);
        Process redis = null;
        List<String> clusterFlags = new ArrayList<>();
        if (cluster) {
            int redisPort = port + 1000;
            redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", "target").redirectErrorStream(true)
                    .redirectOutput(Path.of("target/bench-signaling-redis.log").toFile()).start();
            clusterFlags = List.of("--redis", "redis://127.0.0.1:" + redisPort);
            Thread.sleep(500);
        }
        Process server = startServer(port, clusterFlags, "target/bench-signaling-server.log");
        Process second = cluster ? startServer(port + 1, clusterFlags, "target/bench-signaling-server-2.log") : null;
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitReady(base);
            if (second != null) awaitReady(URI.create("http://127.0.0.1:" + (port + 1)));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", cluster ? "signaling-cluster" : "signaling");
            result.put("environment", BenchEnvironment.describe());
            result.put("clients_requested", clients);

            long heapBefore = serverHeap(server.pid(), base);
            long rssBefore = BenchEnvironment.rssBytes(server.pid());
            long connectStart = System.nanoTime();
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            int connected = connectAll(ws, cluster ? URI.create("ws://127.0.0.1:" + (port + 1) + "/ws") : ws);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            Thread.sleep(2000);
            long heapAfter = serverHeap(server.pid(), base);
            long rssAfter = BenchEnvironment.rssBytes(server.pid());
            result.put("connections_held", connected);
            result.put("connect_seconds", round(connectSeconds));
            result.put("server_heap_bytes_per_connection", connected == 0 ? 0 : (heapAfter - heapBefore) / connected);
            result.put("server_rss_bytes_per_connection", connected == 0 ? 0 : (rssAfter - rssBefore) / connected);
            System.out.printf("connections held: %d of %d (%.1f s to connect and join)%n", connected, clients, connectSeconds);
            System.out.printf("server heap per connection: %d bytes (after GC), RSS per connection: %d bytes%n",
                    (heapAfter - heapBefore) / Math.max(1, connected), (rssAfter - rssBefore) / Math.max(1, connected));

            List<Map<String, Object>> phases = new ArrayList<>();
            for (int rate : rates) {
                phases.add(phase(rate, second == null ? List.of(server.pid()) : List.of(server.pid(), second.pid())));
            }
            result.put("phases", phases);
            long stillOpen = all.stream().filter(c -> c.open).count();
            result.put("connections_open_at_end", stillOpen);
            BenchEnvironment.write(cluster ? "signaling-cluster" : "signaling", result);
        } finally {
            for (Client c : all) if (c.socket != null) c.socket.abort();
            for (Process p : Arrays.asList(server, second, redis)) {
                if (p == null) continue;
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startServer(int port, List<String> extraFlags, String log) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx2g", "-XX:+UseG1GC", "-jar", "target/parley.jar",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--log-level", "WARN",
                "--ws-rate-limit", "1000", "--ws-rate-burst", "2000", "--max-room-size", "2",
                "--turn", "off", "--sfu-port", "0", "--sfu-tcp-port", "-1"));
        command.addAll(extraFlags);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Path.of(log).toFile()).start();
    }

    private static double cpuSeconds(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) sum += BenchEnvironment.cpuSeconds(pid);
        return sum;
    }

    private Map<String, Object> phase(int rate, List<Long> serverPids) throws InterruptedException {
        int pairs = all.size() / 2;
        samples = new long[rate * seconds + 1024];
        sampleCount.set(0);
        delivered.set(0);
        double cpuBefore = cpuSeconds(serverPids);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        long next = start;
        long sent = 0;
        long end = start + seconds * 1_000_000_000L;
        int pair = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) break;
            while (next <= now && next < end) {
                Client sender = all.get(2 * pair);
                if (sender.open && sender.peer != null) {
                    sender.send("{\"type\":\"message\",\"to\":\"" + sender.peer + "\",\"data\":{\"t\":" + System.nanoTime() + "}}");
                    sent++;
                }
                pair = (pair + 1) % pairs;
                next += intervalNanos;
            }
            long sleep = next - System.nanoTime();
            if (sleep > 50_000) TimeUnit.NANOSECONDS.sleep(Math.min(sleep, 1_000_000));
        }
        Thread.sleep(1000);
        double wall = (System.nanoTime() - start) / 1e9 - 1.0;
        double cpu = cpuSeconds(serverPids) - cpuBefore;
        int n = Math.min(sampleCount.get(), samples.length);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("target_msgs_per_s", rate);
        phase.put("sent", sent);
        phase.put("delivered", delivered.get());
        phase.put("delivered_msgs_per_s", round(delivered.get() / wall));
        phase.put("latency_p50_ms", round(BenchEnvironment.percentile(sorted, n, 50) / 1e6));
        phase.put("latency_p99_ms", round(BenchEnvironment.percentile(sorted, n, 99) / 1e6));
        phase.put("latency_max_ms", round(n == 0 ? 0 : sorted[n - 1] / 1e6));
        phase.put("server_cpu_cores", round(cpu / (wall + 1.0)));
        System.out.printf("rate %6d/s: delivered %8.0f msg/s (%d of %d), relay latency p50 %.2f ms p99 %.2f ms max %.1f ms, server CPU %.2f cores%n",
                rate, delivered.get() / wall, delivered.get(), sent, BenchEnvironment.percentile(sorted, n, 50) / 1e6,
                BenchEnvironment.percentile(sorted, n, 99) / 1e6, n == 0 ? 0 : sorted[n - 1] / 1e6, cpu / (wall + 1.0));
        return phase;
    }

    /** Pairs: the first client of each on {@code wsA}, the second on {@code wsB} (the same URI on a single node). */
    private int connectAll(URI wsA, URI wsB) throws InterruptedException {
        Semaphore inFlight = new Semaphore(200);
        AtomicInteger joined = new AtomicInteger();
        List<CompletableFuture<?>> all2 = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client c = new Client("bench-" + (i / 2), i % 2 == 0);
            all.add(c);
        }
        for (int i = 0; i < clients; i += 2) {
            Client a = all.get(i);
            Client b = all.get(i + 1);
            inFlight.acquire();
            CompletableFuture<?> done = a.connect(wsA).thenCompose(x -> b.connect(wsB))
                    .thenRun(joined::incrementAndGet)
                    .whenComplete((x, e) -> inFlight.release());
            all2.add(done);
        }
        try {
            CompletableFuture.allOf(all2.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("some clients failed to connect: " + e);
        }
        // Learn each pair's peer id from the join responses (b joined second and saw a).
        int ok = 0;
        for (int i = 0; i < clients; i += 2) {
            Client a = all.get(i);
            Client b = all.get(i + 1);
            if (a.peerId != null && b.peerId != null) {
                a.peer = b.peerId;
                b.peer = a.peerId;
                ok += 2;
            }
        }
        return ok;
    }

    private final class Client implements WebSocket.Listener {
        final String room;
        final boolean first;
        volatile WebSocket socket;
        volatile boolean open;
        volatile String peerId;
        volatile String peer;
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        Client(String room, boolean first) {
            this.room = room;
            this.first = first;
        }

        CompletableFuture<Void> connect(URI uri) {
            return HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, this)
                    .thenCompose(ws -> {
                        socket = ws;
                        open = true;
                        send("{\"type\":\"join\",\"id\":1,\"room\":\"" + room + "\",\"name\":\"b\",\"capacity\":2}");
                        return joined;
                    });
        }

        /** java.net.http allows one send at a time: chain them instead of blocking a thread. */
        private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

        synchronized void send(String text) {
            sendChain = sendChain.thenCompose(x -> socket.sendText(text, true)).exceptionally(e -> {
                open = false;
                return null;
            });
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(text);
            }
            ws.request(1);
            return null;
        }

        /** Highest event seq seen; acknowledged like the SDK does (every 32 events and in pongs). */
        private long lastSeq;
        private long ackedSeq;

        private void noteSeq(String text) {
            int at = text.lastIndexOf("\"seq\":");
            if (at < 0) return;
            int end = at + 6;
            while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
            lastSeq = Math.max(lastSeq, Long.parseLong(text, at + 6, end, 10));
            if (lastSeq - ackedSeq >= 32) {
                ackedSeq = lastSeq;
                send("{\"type\":\"ack\",\"ack\":" + lastSeq + "}");
            }
        }

        private void handle(String text) {
            if (text.startsWith("{\"type\":\"message\"")) {
                noteSeq(text);
                int t = text.indexOf("\"t\":");
                if (t > 0) {
                    int endIdx = t + 4;
                    while (endIdx < text.length() && Character.isDigit(text.charAt(endIdx))) endIdx++;
                    long sentAt = Long.parseLong(text, t + 4, endIdx, 10);
                    long latency = System.nanoTime() - sentAt;
                    int i = sampleCount.getAndIncrement();
                    long[] s = samples;
                    if (i < s.length) s[i] = latency;
                    delivered.incrementAndGet();
                }
            } else if (text.startsWith("{\"type\":\"ping\"")) {
                ackedSeq = lastSeq;
                send("{\"type\":\"pong\",\"ack\":" + lastSeq + "}");
            } else if (text.startsWith("{\"type\":\"response\"") && peerId == null) {
                int p = text.indexOf("\"peerId\":\"");
                peerId = text.substring(p + 10, text.indexOf('"', p + 10));
                joined.complete(null);
            } else if (text.startsWith("{\"type\":\"error\"")) {
                joined.completeExceptionally(new IOException(text));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            open = false;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            open = false;
            joined.completeExceptionally(error);
        }
    }

    private static void awaitReady(URI base) throws Exception {
        for (int i = 0; i < 100; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not become ready");
    }

    /** Server heap after a full GC, read from its own Prometheus metrics. */
    private static long serverHeap(long pid, URI base) throws Exception {
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(500);
        String metrics = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        long sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
