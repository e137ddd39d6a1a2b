package dev.parley.bench.transfer;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Send files benchmark (issue 4): the app's throughput (hashing and storage included) next to a raw
 * data channel (same chunk size and buffer marks, no file, no hash, no storage) between two separate
 * Chromium processes on loopback, in the same run; plus the receiving browser's peak memory (sum of
 * RSS over its process tree, sampled every 200 ms).
 *
 * <p>Run inside the test network namespace:
 * {@code scripts/netns mvn -B -q -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.parley.bench.transfer.TransferBench -Dexec.args='100 1024'} (sizes in MiB).
 * Writes bench/results/transfer.json.
 */
public final class TransferBench {
    private static final String RAW_SCRIPT = """
            async ({ room, role, bytes }) => {
              const { SignalingClient } = await import('/sdk/signaling.js');
              const client = new SignalingClient();
              const joined = await client.join({ room, name: role });
              const pc = new RTCPeerConnection({ iceServers: [] });
              window.pc = pc;
              const channel = pc.createDataChannel('raw', { negotiated: true, id: 1 });
              channel.binaryType = 'arraybuffer';
              window.result = new Promise((resolve) => {
                if (role === 'receiver') {
                  let got = 0;
                  channel.onmessage = (e) => { got += e.data.byteLength; if (got >= bytes) resolve(got); };
                } else {
                  channel.onopen = async () => {
                    const chunk = Math.min(pc.sctp.maxMessageSize || 16384, 256 * 1024);
                    const data = new Uint8Array(chunk);
                    crypto.getRandomValues(data.subarray(0, 65536));
                    channel.bufferedAmountLowThreshold = 2 * 1024 * 1024;
                    let sent = 0;
                    while (sent < bytes) {
                      if (channel.bufferedAmount > 8 * 1024 * 1024) {
                        await new Promise((r) => channel.addEventListener('bufferedamountlow', r, { once: true }));
                        continue;
                      }
                      const n = Math.min(chunk, bytes - sent);
                      channel.send(n === chunk ? data : data.subarray(0, n));
                      sent += n;
                    }
                    resolve(sent);
                  };
                }
              });
              const other = () => [...client.peers.keys()][0];
              pc.onicecandidate = (e) => other() && client.sendTo(other(), 'candidate', { candidate: e.candidate ? e.candidate.toJSON() : null });
              client.on('candidate', (m) => pc.addIceCandidate(m.candidate ?? null).catch(() => {}));
              client.on('offer', async (m) => {
                await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
                await pc.setLocalDescription();
                client.sendTo(m.from, 'answer', { sdp: pc.localDescription.sdp });
              });
              client.on('answer', (m) => pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }));
              if (role === 'sender') {
                await pc.setLocalDescription(await pc.createOffer());
                client.sendTo(joined.peers[0].id, 'offer', { sdp: pc.localDescription.sdp });
              }
              return joined.room;
            }""";

    private TransferBench() {}

    public static void main(String[] args) throws Exception {
        List<Long> sizesMiB = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"100", "1024"} : args) sizesMiB.add(Long.parseLong(a.trim()));
        Path work = Files.createTempDirectory("parley-transfer-bench");
        List<Map<String, Object>> runs = new ArrayList<>();
        try (TestServer server = TestServer.start()) {
            for (long mib : sizesMiB) {
                long bytes = mib * 1024 * 1024;
                Path file = randomFile(work.resolve("bench-" + mib + ".bin"), bytes);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("bytes", bytes);
                run.put("raw", raw(server, bytes));
                run.put("app", app(server, file, bytes));
                double rawMBps = (double) ((Map<?, ?>) run.get("raw")).get("MBps");
                double appMBps = (double) ((Map<?, ?>) run.get("app")).get("MBps");
                run.put("ratio", round(appMBps / rawMBps));
                System.out.printf("%d MiB: app %.2f MB/s, raw %.2f MB/s, ratio %.2f, receiver peak RSS app %d MiB / raw %d MiB%n",
                        mib, appMBps, rawMBps, appMBps / rawMBps,
                        (long) ((Map<?, ?>) run.get("app")).get("receiverPeakRssMiB"),
                        (long) ((Map<?, ?>) run.get("raw")).get("receiverPeakRssMiB"));
                runs.add(run);
                Files.delete(file);
            }
        }
        writeJson(runs);
    }

    /** Raw data channel between two browser processes; seconds from channel setup to last byte. */
    private static Map<String, Object> raw(TestServer server, long bytes) throws Exception {
        try (Chromium senderBrowser = Chromium.launch(); MemoryWatch watch = MemoryWatch.launching(); Chromium receiverBrowser = watch.launched(Chromium::launch)) {
            Page receiver = receiverBrowser.newPage();
            receiver.navigate(server.httpUrl("/"));
            Page sender = senderBrowser.newPage();
            sender.navigate(server.httpUrl("/"));
            String room = (String) receiver.evaluate(RAW_SCRIPT, Map.of("role", "receiver", "bytes", (double) bytes));
            long start = System.nanoTime();
            sender.evaluate(RAW_SCRIPT, Map.of("room", room, "role", "sender", "bytes", (double) bytes));
            receiver.evaluate("window.result.then(() => true)");
            double seconds = (System.nanoTime() - start) / 1e9;
            return result(bytes, seconds, watch.stop());
        }
    }

    /** The Send files app, as a user runs it: share, open the link, accept, wait for "verified". */
    private static Map<String, Object> app(TestServer server, Path file, long bytes) throws Exception {
        try (Chromium senderBrowser = Chromium.launch(); MemoryWatch watch = MemoryWatch.launching(); Chromium receiverBrowser = watch.launched(Chromium::launch)) {
            Page sender = senderBrowser.newPage();
            sender.navigate(server.httpUrl("/transfer"));
            sender.setInputFiles("#file-input", file);
            sender.click("#share");
            sender.waitForFunction("document.querySelector('#share-link').value.includes('#')");
            Page receiver = receiverBrowser.newPage();
            receiver.navigate(sender.inputValue("#share-link"));
            receiver.waitForSelector("#accept");
            long start = System.nanoTime();
            receiver.click("#accept");
            receiver.waitForSelector("#status[data-state='done']", new Page.WaitForSelectorOptions().setTimeout(3_600_000));
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> result = result(bytes, seconds, watch.stop());
            result.put("verified", receiver.getAttribute(".file-state", "data-state").equals("verified"));
            result.put("storage", receiver.evaluate("window.parleyTransfer.storage.kind"));
            result.put("chunkBytes", sender.evaluate("[...window.parleyTransfer.senders.values()][0].chunkSize"));
            return result;
        }
    }

    private static Map<String, Object> result(long bytes, double seconds, long peakRssBytes) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", round(seconds));
        r.put("MBps", round(bytes / 1e6 / seconds));
        r.put("receiverPeakRssMiB", peakRssBytes / (1024 * 1024));
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Path randomFile(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    private static void writeJson(List<Map<String, Object>> runs) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"transfer\",\n");
        json.append("  \"date\": \"").append(Instant.now()).append("\",\n");
        json.append("  \"machine\": {\"nproc\": ").append(Runtime.getRuntime().availableProcessors())
                .append(", \"cpu\": \"").append(cpuModel()).append("\"},\n");
        json.append("  \"browser\": \"").append(chromiumVersion()).append("\",\n");
        json.append("  \"setup\": \"two separate headless Chromium processes, loopback in a private network namespace, Parley signaling in the bench JVM\",\n");
        json.append("  \"runs\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            json.append("    ").append(toJson(runs.get(i))).append(i + 1 < runs.size() ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        Path out = Path.of("bench/results/transfer.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            map.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(toJson(v)));
            return b.append('}').toString();
        }
        if (value instanceof String s) return '"' + s.replace("\"", "'") + '"';
        return String.valueOf(value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String chromiumVersion() {
        try {
            Process p = new ProcessBuilder(Chromium.EXECUTABLE.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out.lines().reduce((a, b) -> b).orElse(out);
        } catch (IOException | InterruptedException e) {
            return "chromium";
        }
    }

    /**
     * Peak summed RSS of the processes of one browser: the Chromium processes that appeared while
     * it launched, and every process descended from them, sampled until stopped.
     */
    static final class MemoryWatch implements AutoCloseable {
        private final Set<Long> before;
        private final Set<Long> roots = new HashSet<>();
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private Thread sampler;

        private MemoryWatch(Set<Long> before) {
            this.before = before;
        }

        static MemoryWatch launching() {
            return new MemoryWatch(pids());
        }

        <T> T launched(java.util.function.Supplier<T> launch) {
            T browser = launch.get();
            for (long pid : pids()) {
                if (!before.contains(pid) && cmdline(pid).contains("chromium") && !cmdline(pid).contains("--type=")) roots.add(pid);
            }
            sampler = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(treeRss(), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            return browser;
        }

        long stop() {
            running = false;
            return peak.get();
        }

        @Override
        public void close() {
            running = false;
        }

        private long treeRss() {
            Map<Long, Long> parents = new LinkedHashMap<>();
            for (long pid : pids()) parents.put(pid, parent(pid));
            long total = 0;
            for (long pid : parents.keySet()) {
                for (long p = pid; p > 1; p = parents.getOrDefault(p, 0L)) {
                    if (roots.contains(p)) {
                        total += rss(pid);
                        break;
                    }
                }
            }
            return total;
        }

        private static Set<Long> pids() {
            Set<Long> pids = new HashSet<>();
            try (var list = Files.list(Path.of("/proc"))) {
                list.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> pids.add(Long.parseLong(n)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return pids;
        }

        private static String cmdline(long pid) {
            try {
                return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        private static long parent(long pid) {
            return statusField(pid, "PPid:") ;
        }

        private static long rss(long pid) {
            return statusField(pid, "VmRSS:") * 1024;
        }

        private static long statusField(long pid, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }
    }
}
