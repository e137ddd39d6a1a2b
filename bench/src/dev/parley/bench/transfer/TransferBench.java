package dev.parley.bench.transfer;

import com.microsoft.playwright.Page;
import dev.parley.bench.BenchEnvironment;
import dev.parley.testing.Chromium;
import dev.parley.testing.ChromiumProfile;
import dev.parley.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Send files benchmark (issue 4): the app's throughput (hashing and storage included) next to a raw
 * data channel (same chunk size and buffer marks, no file, no hash, no storage) between two separate
 * Chromium processes on loopback, in the same run; plus the receiving browser's peak memory (PSS
 * and RSS summed over its process tree, sampled every 200 ms) and each browser's CPU time. Each
 * browser has an on-disk profile (OPFS on disk, as for a person).
 *
 * <p>Run inside the test network namespace:
 * {@code scripts/netns mvn -B -q -o exec:java -Dexec.classpathScope=test
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
                  window.opened = new Promise((open) => { channel.onopen = open; });
                  window.go = async () => {
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
                await window.opened;
              }
              return joined.room;
            }""";

    /** Local and remote candidate types of the receiver's selected pair, e.g. "host/host". */
    private static final String SELECTED_PAIR = """
            async (pcExpression) => {
              const pc = eval(pcExpression);
              const stats = await pc.getStats();
              let pair = null;
              stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
              if (!pair) return 'none';
              return stats.get(pair.localCandidateId).candidateType + '/' + stats.get(pair.remoteCandidateId).candidateType;
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
                run.put("loadAverageBefore", BenchEnvironment.loadAverage());
                Map<String, Object> raw = raw(server, bytes);
                Map<String, Object> app = app(server, file, bytes);
                run.put("raw", raw);
                run.put("app", app);
                run.put("loadAverageAfter", BenchEnvironment.loadAverage());
                double ratio = (double) app.get("MBps") / (double) raw.get("MBps");
                run.put("ratio", round(ratio));
                System.out.printf("%d MiB: app %.2f MB/s, raw %.2f MB/s, ratio %.2f; receiver peak PSS app %d MiB / raw %d MiB;"
                        + " CPU s receiver app %.1f / raw %.1f, sender app %.1f / raw %.1f; load %s → %s%n",
                        mib, app.get("MBps"), raw.get("MBps"), ratio, app.get("receiverPeakPssMiB"), raw.get("receiverPeakPssMiB"),
                        app.get("receiverCpuSeconds"), raw.get("receiverCpuSeconds"), app.get("senderCpuSeconds"), raw.get("senderCpuSeconds"),
                        run.get("loadAverageBefore"), run.get("loadAverageAfter"));
                System.out.printf("  selected pair app %s, raw %s%n", app.get("candidatePair"), raw.get("candidatePair"));
                System.out.printf("  CPU s by process: receiver app %s / raw %s; sender app %s / raw %s%n",
                        app.get("receiverCpuByProcess"), raw.get("receiverCpuByProcess"), app.get("senderCpuByProcess"), raw.get("senderCpuByProcess"));
                runs.add(run);
                Files.delete(file);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "transfer");
        result.put("environment", BenchEnvironment.describe());
        result.put("browser", chromiumVersion());
        result.put("setup", "two separate headless Chromium processes, loopback in a private network namespace, Parley signaling in the bench JVM;"
                + " time from the data channel open (raw) or Accept (app) to the last byte (raw) or 'verified' (app)");
        result.put("runs", runs);
        BenchEnvironment.write("transfer", result);
    }

    /** Raw data channel between two browser processes; seconds from the open channel to the last byte. */
    private static Map<String, Object> raw(TestServer server, long bytes) {
        try (Browsers browsers = new Browsers()) {
            Page receiver = longWaits(browsers.receiver.page());
            receiver.navigate(server.httpUrl("/"));
            Page sender = longWaits(browsers.sender.page());
            sender.navigate(server.httpUrl("/"));
            String room = (String) receiver.evaluate(RAW_SCRIPT, Map.of("role", "receiver", "bytes", (double) bytes));
            sender.evaluate(RAW_SCRIPT, Map.of("room", room, "role", "sender", "bytes", (double) bytes));
            browsers.start();
            sender.evaluate("window.go(); true");
            Object pair = receiver.evaluate(SELECTED_PAIR, "window.pc");
            receiver.evaluate("window.result.then(() => true)");
            Map<String, Object> result = browsers.stop(bytes);
            result.put("candidatePair", pair);
            return result;
        }
    }

    /** The Send files app, as a user runs it: share, open the link, accept, wait for "verified". */
    private static Map<String, Object> app(TestServer server, Path file, long bytes) {
        try (Browsers browsers = new Browsers()) {
            Page sender = longWaits(browsers.sender.page());
            sender.navigate(server.httpUrl("/transfer"));
            sender.setInputFiles("#file-input", file);
            sender.click("#share");
            sender.waitForFunction("document.querySelector('#share-link').value.includes('#')");
            Page receiver = longWaits(browsers.receiver.page());
            receiver.navigate(sender.inputValue("#share-link"));
            receiver.waitForSelector("#accept");
            browsers.start();
            receiver.click("#accept");
            receiver.waitForFunction("window.parleyTransfer.receiver.totalReceived > 0", null,
                    new Page.WaitForFunctionOptions().setTimeout(600_000).setPollingInterval(100));
            Object pair = receiver.evaluate(SELECTED_PAIR, "[...window.parleyTransfer.sessions.values()][0].pc");
            receiver.waitForSelector("#status[data-state='done']", new Page.WaitForSelectorOptions().setTimeout(3_600_000));
            Map<String, Object> result = browsers.stop(bytes);
            result.put("candidatePair", pair);
            result.put("verified", receiver.getAttribute(".file-state", "data-state").equals("verified"));
            result.put("storage", receiver.evaluate("window.parleyTransfer.storage.kind"));
            result.put("chunkBytes", sender.evaluate("[...window.parleyTransfer.senders.values()][0].chunkSize"));
            return result;
        }
    }

    /**
     * A sender and a receiver browser, each its own Chromium process tree (found by a marker
     * switch on its command line); measures time, CPU time of each tree and the receiver's peak memory.
     */
    private static final class Browsers implements AutoCloseable {
        final ChromiumProfile sender;
        final ChromiumProfile receiver;
        private final ProcessTree senderTree;
        private final ProcessTree receiverTree;
        private long startNanos;
        private double senderCpuStart;
        private double receiverCpuStart;
        private Map<String, Double> senderByType;
        private Map<String, Double> receiverByType;
        private MemoryWatch watch;

        Browsers() {
            String senderMark = "--parley-bench-sender=" + UUID.randomUUID();
            String receiverMark = "--parley-bench-receiver=" + UUID.randomUUID();
            // On-disk profiles, as a person's browser has: in off-the-record contexts OPFS lives in
            // memory, which would make the receiver's memory grow with the file.
            sender = ChromiumProfile.launch(List.of(senderMark));
            receiver = ChromiumProfile.launch(List.of(receiverMark));
            senderTree = ProcessTree.marked(senderMark);
            receiverTree = ProcessTree.marked(receiverMark);
        }

        void start() {
            watch = new MemoryWatch(receiverTree);
            senderCpuStart = senderTree.cpuSeconds();
            receiverCpuStart = receiverTree.cpuSeconds();
            senderByType = senderTree.cpuSecondsByType();
            receiverByType = receiverTree.cpuSecondsByType();
            startNanos = System.nanoTime();
        }

        Map<String, Object> stop(long bytes) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("seconds", round(seconds));
            r.put("MBps", round(bytes / 1e6 / seconds));
            r.put("senderCpuSeconds", round(senderTree.cpuSeconds() - senderCpuStart));
            r.put("receiverCpuSeconds", round(receiverTree.cpuSeconds() - receiverCpuStart));
            r.put("senderCpuByProcess", since(senderByType, senderTree.cpuSecondsByType()));
            r.put("receiverCpuByProcess", since(receiverByType, receiverTree.cpuSecondsByType()));
            watch.stop();
            r.put("receiverPeakPssMiB", watch.peakPss.get() / (1024 * 1024));
            r.put("receiverPeakRssMiB", watch.peakRss.get() / (1024 * 1024));
            return r;
        }

        private static Map<String, Object> since(Map<String, Double> before, Map<String, Double> after) {
            Map<String, Object> delta = new LinkedHashMap<>();
            after.forEach((type, cpu) -> delta.put(type, round(cpu - before.getOrDefault(type, 0.0))));
            return delta;
        }

        @Override
        public void close() {
            if (watch != null) watch.stop();
            sender.close();
            receiver.close();
        }
    }

    /** Peak PSS and RSS of one process tree, sampled every 200 ms until stopped. */
    private static final class MemoryWatch {
        final AtomicLong peakPss = new AtomicLong();
        final AtomicLong peakRss = new AtomicLong();
        private volatile boolean running = true;
        private final Thread sampler;

        MemoryWatch(ProcessTree tree) {
            sampler = new Thread(() -> {
                while (running) {
                    List<Long> pids = tree.pids();
                    peakPss.accumulateAndGet(pids.stream().mapToLong(pid -> ProcessTree.smapsRollup(pid, "Pss:")).sum(), Math::max);
                    peakRss.accumulateAndGet(pids.stream().mapToLong(BenchEnvironment::rssBytes).filter(v -> v > 0).sum(), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "memory-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() {
            running = false;
            try {
                sampler.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A browser's processes: the one whose command line carries a marker, and all its descendants. */
    private record ProcessTree(long root) {
        static ProcessTree marked(String marker) {
            return new ProcessTree(ProcessHandle.allProcesses()
                    .filter(p -> cmdline(p.pid()).contains(marker) && !cmdline(p.pid()).contains("--type="))
                    .mapToLong(ProcessHandle::pid).min()
                    .orElseThrow(() -> new IllegalStateException("no browser process with " + marker)));
        }

        List<Long> pids() {
            Map<Long, Long> parents = new HashMap<>();
            ProcessHandle.allProcesses().forEach(p -> parents.put(p.pid(), p.parent().map(ProcessHandle::pid).orElse(0L)));
            List<Long> tree = new ArrayList<>();
            for (long pid : parents.keySet()) {
                for (long p = pid; p > 1; p = parents.getOrDefault(p, 0L)) {
                    if (p == root) {
                        tree.add(pid);
                        break;
                    }
                }
            }
            return tree;
        }

        double cpuSeconds() {
            return pids().stream().mapToDouble(BenchEnvironment::cpuSeconds).filter(v -> !Double.isNaN(v)).sum();
        }

        /** CPU seconds so far per Chromium process type (browser, renderer, gpu-process, utility…). */
        Map<String, Double> cpuSecondsByType() {
            Map<String, Double> byType = new java.util.TreeMap<>();
            for (long pid : pids()) {
                double cpu = BenchEnvironment.cpuSeconds(pid);
                if (Double.isNaN(cpu)) continue;
                String cmd = cmdline(pid);
                int at = cmd.indexOf("--type=");
                String type = at < 0 ? "browser" : cmd.substring(at + 7).split("[\\x00 ]")[0];
                if (type.equals("utility")) {
                    int sub = cmd.indexOf("--utility-sub-type=");
                    if (sub >= 0) type = cmd.substring(sub + 19).split("[\\x00 ]")[0].replaceAll(".*\\.", "");
                }
                byType.merge(type, cpu, Double::sum);
            }
            return byType;
        }

        static String cmdline(long pid) {
            try {
                return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        /** A field of /proc/PID/smaps_rollup in bytes (0 when the process is gone). */
        static long smapsRollup(long pid, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                    if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }
    }

    /** A 1 GiB transfer on a loaded machine takes minutes: waits are bounded by an hour instead. */
    private static Page longWaits(Page page) {
        page.setDefaultTimeout(3_600_000);
        return page;
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
}
