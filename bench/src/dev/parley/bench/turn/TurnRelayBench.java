package dev.parley.bench.turn;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.MessageIntegrity;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import dev.parley.codec.stun.TurnAttributes;
import dev.parley.turn.TurnCredentials;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Relay benchmark, Parley's TURN server side by side with coturn's {@code turnserver} in one run,
 * same load client, same echo peer ({@code turnutils_peer}). Each of K allocations binds a channel
 * to the peer and keeps W ChannelData packets of S bytes in flight; every packet crosses the relay
 * twice (client → peer, echo → client). Reports relayed packets/s, p50/p99 round trip minus the
 * direct (no relay) round trip, and server CPU from /proc/&lt;pid&gt;/stat. The servers are measured in
 * alternating rounds (medians reported, every round kept in the JSON) with the load average noted,
 * because the machine is shared. A packet not back within 200 ms counts as lost and frees its slot.
 *
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.parley.bench.turn.TurnRelayBench [seconds] [allocations] [window] [size] [rounds] [result name]
 * </pre>
 * Writes {@code bench/results/<result name>.json} (default {@code turn-relay}).
 */
public final class TurnRelayBench {
    static final String SECRET = "bench-secret";
    static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    static final int WARMUP_SECONDS = 20;
    static final int SECOND_WARMUP_SECONDS = 5;
    static final long LOSS_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    record Result(String server, double packetsPerSecond, double p50Micros, double p99Micros, double cpuPercent, long lost) {
    }

    private TurnRelayBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int allocations = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        String output = args.length > 5 ? args[5] : "turn-relay";
        String loadBefore = loadAverage();
        List<Process> processes = new ArrayList<>();
        try {
            int peerPort = freeUdpPort();
            processes.add(new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(peerPort))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", peerPort);
            Thread.sleep(300);
            double direct = directP50Micros(peer, size);

            int parleyPort = freeUdpPort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
            // e.g. -Dturn.bench.jvmArgs="-XX:StartFlightRecording=filename=/tmp/turn.jfr" to profile the server
            String extra = System.getProperty("turn.bench.jvmArgs", "").trim();
            if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParleyTurnMain.class.getName(),
                    Integer.toString(parleyPort), "52000", "52999", SECRET, Integer.getInteger("turn.bench.ioThreads", 0).toString()));
            Process parley = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(parley);
            java.io.BufferedReader log = new java.io.BufferedReader(new java.io.InputStreamReader(parley.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = log.readLine()) != null && !line.equals("ready")) {
                // startup log lines
            }
            if (line == null) throw new IllegalStateException("Parley TURN did not start");
            Thread drain = new Thread(() -> {
                try {
                    log.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // process ended
                }
            });
            drain.setDaemon(true);
            drain.start();

            int coturnPort = freeUdpPort();
            Path dir = Files.createTempDirectory("coturn-bench");
            Path conf = dir.resolve("turnserver.conf");
            Files.writeString(conf, String.join("\n",
                    "listening-ip=127.0.0.1", "listening-port=" + coturnPort, "relay-ip=127.0.0.1",
                    "min-port=53000", "max-port=53999", "use-auth-secret", "static-auth-secret=" + SECRET, "realm=bench",
                    "allow-loopback-peers", "no-tls", "no-dtls", "no-tcp", "no-cli", "userdb=" + dir.resolve("turndb"),
                    "pidfile=" + dir.resolve("turnserver.pid"), "log-file=" + dir.resolve("turn.log"), "simple-log",
                    "no-software-attribute", ""));
            Process coturn = new ProcessBuilder("turnserver", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(coturn);
            Thread.sleep(1000);

            // warm both, then measure in alternating rounds (P,C then C,P, ...) so drift on a shared machine hits both
            // the JIT compiles the relay path during the first seconds of load: measure the steady state, as operators see it
            // twice: a round starts with fresh allocations after the last ones closed, and in the first round after a
            // single warm-up Parley's C2 compiler spent ~0.5 s of CPU recompiling (per-thread CPU from /proc)
            for (int w = 0; w < 2; w++) {
                int warm = w == 0 ? WARMUP_SECONDS : SECOND_WARMUP_SECONDS;
                run("parley", parley.pid(), parleyPort, peer, warm, allocations, window, size, direct);
                run("coturn", coturn.pid(), coturnPort, peer, warm, allocations, window, size, direct);
            }
            List<Result> parleyRuns = new ArrayList<>();
            List<Result> coturnRuns = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    boolean parleyTurn = (round + k) % 2 == 0;
                    Result r = parleyTurn
                            ? run("parley", parley.pid(), parleyPort, peer, seconds, allocations, window, size, direct)
                            : run("coturn", coturn.pid(), coturnPort, peer, seconds, allocations, window, size, direct);
                    (parleyTurn ? parleyRuns : coturnRuns).add(r);
                    print(r);
                }
            }
            Result p = median("parley", parleyRuns);
            Result c = median("coturn", coturnRuns);
            System.out.println("median of " + rounds + " rounds:");
            print(p);
            print(c);
            System.out.printf(Locale.ROOT, "ratio parley/coturn: throughput %.2f, p50 latency %.2f (lower is better), "
                            + "packets per CPU-second %.2f%n", p.packetsPerSecond() / c.packetsPerSecond(), p.p50Micros() / c.p50Micros(),
                    (p.packetsPerSecond() / Math.max(p.cpuPercent(), 0.1)) / (c.packetsPerSecond() / Math.max(c.cpuPercent(), 0.1)));
            String loadAfter = loadAverage();
            System.out.println("load average before: " + loadBefore + ", after: " + loadAfter);
            writeJson(output, List.of(p, c), parleyRuns, coturnRuns, direct, seconds, allocations, window, size, loadBefore, loadAfter);
        } finally {
            for (Process pr : processes) {
                pr.destroy();
                if (!pr.waitFor(5, TimeUnit.SECONDS)) pr.destroyForcibly();
            }
        }
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-7s %10.0f pkt/s relayed  added p50 %7.1f us  p99 %7.1f us  cpu %5.1f %%  lost %d%n",
                r.server(), r.packetsPerSecond(), r.p50Micros(), r.p99Micros(), r.cpuPercent(), r.lost());
    }

    /** Per-field median over the rounds (each field on its own; the rounds are listed in the JSON too). */
    static Result median(String name, List<Result> runs) {
        return new Result(name, medianOf(runs, Result::packetsPerSecond), medianOf(runs, Result::p50Micros),
                medianOf(runs, Result::p99Micros), medianOf(runs, Result::cpuPercent),
                (long) medianOf(runs, r -> (double) r.lost()));
    }

    static double medianOf(List<Result> runs, java.util.function.ToDoubleFunction<Result> field) {
        double[] v = runs.stream().mapToDouble(field).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Result run(String name, long pid, int port, InetSocketAddress peer, int seconds, int allocations, int window,
                      int size, double directMicros) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        TurnCredentials.Credential credential = new TurnCredentials(SECRET, Duration.ofHours(1)).mint("bench");
        List<DatagramChannel> channels = new ArrayList<>();
        Selector selector = Selector.open();
        for (int i = 0; i < allocations; i++) {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.connect(server);
            setUp(ch, credential, peer);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, i);
            channels.add(ch);
        }
        long[] rtts = new long[4_000_000];
        int count = 0;
        long sent = 0;
        long received = 0;
        long lost = 0;
        ByteBuffer out = ByteBuffer.allocateDirect(4 + size);
        ByteBuffer in = ByteBuffer.allocateDirect(65536);
        // every allocation has `window` slots; a slot holds the send time of its packet in flight (0 = free).
        // A packet not back within LOSS_NANOS is counted lost and its slot reused, so a loss never shrinks the window.
        long[][] slots = new long[allocations][window];
        long cpuBefore = cpuTicks(pid);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long lastSweep = start;
        while (System.nanoTime() < end) {
            for (int i = 0; i < allocations; i++) {
                long[] mine = slots[i];
                for (int slot = 0; slot < window; slot++) {
                    if (mine[slot] != 0) continue;
                    long now = System.nanoTime();
                    out.clear();
                    out.putShort((short) 0x4000).putShort((short) size).putLong(now).putInt(slot);
                    out.position(4 + size).flip();
                    if (channels.get(i).write(out) == 0) break;
                    mine[slot] = now;
                    sent++;
                }
            }
            long now = System.nanoTime();
            if (now - lastSweep > LOSS_NANOS / 4) {
                for (long[] mine : slots) {
                    for (int slot = 0; slot < window; slot++) {
                        if (mine[slot] != 0 && now - mine[slot] > LOSS_NANOS) {
                            mine[slot] = 0;
                            lost++;
                        }
                    }
                }
                lastSweep = now;
            }
            if (selector.select(5) == 0) continue;
            for (SelectionKey key : selector.selectedKeys()) {
                int i = (Integer) key.attachment();
                DatagramChannel ch = (DatagramChannel) key.channel();
                while (true) {
                    in.clear();
                    if (ch.read(in) <= 0) break;
                    if (in.position() < 16 || (in.get(0) & 0xC0) != 0x40) continue;
                    long at = System.nanoTime();
                    long sentAt = in.getLong(4);
                    int slot = in.getInt(12);
                    if (slot < 0 || slot >= window || slots[i][slot] != sentAt) continue; // late copy of a packet counted lost
                    slots[i][slot] = 0;
                    if (count < rtts.length) rtts[count++] = at - sentAt;
                    received++;
                }
            }
            selector.selectedKeys().clear();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = cpuTicks(pid) - cpuBefore;
        for (DatagramChannel ch : channels) ch.close();
        selector.close();
        long[] sorted = Arrays.copyOf(rtts, count);
        Arrays.sort(sorted);
        double p50 = count == 0 ? Double.NaN : sorted[count / 2] / 1000.0 - directMicros;
        double p99 = count == 0 ? Double.NaN : sorted[(int) (count * 0.99)] / 1000.0 - directMicros;
        // every echoed packet crossed the relay twice
        return new Result(name, 2 * received / elapsed, p50, p99, 100.0 * cpu / TICKS_PER_SECOND / elapsed, lost);
    }

    /** Allocate (with the 401 round), then ChannelBind 0x4000 to the peer, all blocking. */
    static void setUp(DatagramChannel ch, TurnCredentials.Credential credential, InetSocketAddress peer) throws Exception {
        StunMessage challenge = exchange(ch, StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE))
                .add(AttributeType.REQUESTED_TRANSPORT, TurnAttributes.requestedTransportValue(17)));
        String realm = challenge.realm();
        String nonce = challenge.nonce();
        byte[] key = MessageIntegrity.longTermKey(credential.username(), realm, credential.password());
        StunMessage allocated = exchange(ch, StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE))
                .add(AttributeType.REQUESTED_TRANSPORT, TurnAttributes.requestedTransportValue(17))
                .addText(AttributeType.USERNAME, credential.username()).addText(AttributeType.REALM, realm)
                .addText(AttributeType.NONCE, nonce).addMessageIntegrity(key));
        if (allocated.stunClass() != StunClass.SUCCESS_RESPONSE) throw new IllegalStateException("allocate: " + allocated.errorCode());
        StunMessage bound = exchange(ch, StunMessageBuilder.create(MessageType.request(StunMethod.CHANNEL_BIND))
                .add(AttributeType.CHANNEL_NUMBER, TurnAttributes.channelNumberValue(0x4000))
                .addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)
                .addText(AttributeType.USERNAME, credential.username()).addText(AttributeType.REALM, realm)
                .addText(AttributeType.NONCE, nonce).addMessageIntegrity(key));
        if (bound.stunClass() != StunClass.SUCCESS_RESPONSE) throw new IllegalStateException("channel bind: " + bound.errorCode());
    }

    static StunMessage exchange(DatagramChannel ch, StunMessageBuilder request) throws Exception {
        byte[] bytes = request.build();
        ch.write(ByteBuffer.wrap(bytes)); // loopback, blocking: set-up happens before any load
        ByteBuffer buf = ByteBuffer.allocate(2048);
        ch.read(buf);
        buf.flip();
        return StunMessage.decode(buf);
    }

    /** p50 round trip to the echo peer without a relay, to subtract from relayed round trips. */
    static double directP50Micros(InetSocketAddress peer, int size) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.connect(peer);
            ByteBuffer out = ByteBuffer.allocate(size);
            ByteBuffer in = ByteBuffer.allocate(65536);
            long[] samples = new long[2000];
            for (int i = 0; i < samples.length; i++) {
                out.clear();
                long t = System.nanoTime();
                ch.write(out);
                in.clear();
                ch.read(in);
                samples[i] = System.nanoTime() - t;
            }
            Arrays.sort(samples);
            return samples[samples.length / 2] / 1000.0;
        }
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void writeJson(String name, List<Result> medians, List<Result> parleyRuns, List<Result> coturnRuns, double direct, int seconds,
                          int allocations, int window, int size, String loadBefore, String loadAfter) throws Exception {
        String cpuModel = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        String coturnVersion = new String(new ProcessBuilder("turnserver", "--version").redirectErrorStream(true).start()
                .getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"turn-relay\",\n  \"date\": \"").append(Instant.now()).append("\",\n");
        json.append("  \"nproc\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        json.append("  \"cpu\": \"").append(cpuModel.replace("\"", "")).append("\",\n");
        json.append("  \"loadAverageBefore\": \"").append(loadBefore).append("\",\n");
        json.append("  \"loadAverageAfter\": \"").append(loadAfter).append("\",\n");
        json.append("  \"java\": \"").append(System.getProperty("java.version")).append("\",\n");
        json.append("  \"coturn\": \"").append(coturnVersion.replace("\"", "").replace("\n", " ")).append("\",\n");
        json.append(String.format(Locale.ROOT, "  \"load\": {\"seconds\": %d, \"allocations\": %d, \"window\": %d, \"payloadBytes\": %d, "
                        + "\"rounds\": %d},%n", seconds, allocations, window, size, parleyRuns.size()));
        json.append(String.format(Locale.ROOT, "  \"directRoundTripP50Micros\": %.1f,%n", direct));
        Result p = medians.get(0);
        Result c = medians.get(1);
        json.append(String.format(Locale.ROOT, "  \"ratioThroughput\": %.2f,%n", p.packetsPerSecond() / c.packetsPerSecond()));
        json.append("  \"results\": [\n").append(jsonRows(medians)).append("  ],\n");
        json.append("  \"rounds\": {\n    \"parley\": [\n").append(jsonRows(parleyRuns)).append("    ],\n");
        json.append("    \"coturn\": [\n").append(jsonRows(coturnRuns)).append("    ]\n  }\n}\n");
        Path out = Path.of("bench", "results", name + ".json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json.toString());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    static String jsonRows(List<Result> rows) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            Result r = rows.get(i);
            json.append(String.format(Locale.ROOT, "    {\"server\": \"%s\", \"packetsPerSecond\": %.0f, \"addedLatencyP50Micros\": %.1f, "
                            + "\"addedLatencyP99Micros\": %.1f, \"cpuPercent\": %.1f, \"lost\": %d}%s%n", r.server(), r.packetsPerSecond(),
                    r.p50Micros(), r.p99Micros(), r.cpuPercent(), r.lost(), i + 1 < rows.size() ? "," : ""));
        }
        return json.toString();
    }
}
