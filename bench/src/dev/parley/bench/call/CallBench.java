package dev.parley.bench.call;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * 1-on-1 call setup and recovery on loopback, two Chromium pages running the real /call app.
 * <ul>
 *   <li>setup: from "both joined" (the second page's join answer) to the first remote video frame
 *       presented on each page; the call is set up when both have one;</li>
 *   <li>recovery: UDP is cut inside the namespace until the app says it is restarting ICE, then
 *       restored; time from the restore to remote frames decoding again on both pages.</li>
 * </ul>
 * Timestamps are epoch milliseconds taken in the pages and this JVM on the same host.
 * Run inside the private network namespace: {@code bench/call.sh [calls] [cuts]}.
 */
public final class CallBench {
    /** The app's milestones and its P2P session's negotiation milestones, epoch ms. */
    private static final String MARKS = "JSON.stringify({...window.parleyCall.session?.marks, ...window.parleyCall.marks})";

    /**
     * Cross-check of the app's first-frame mark (requestVideoFrameCallback's presentationTime): polls
     * getStats every 10 ms from page start and records when the receiver's framesDecoded first
     * exceeds 0. An upper bound (poll interval + getStats latency); costs CPU, so only in its own run.
     */
    private static final String DECODED_POLL = """
            (() => {
              window.benchMarks = {};
              const mark = (name) => { window.benchMarks[name] ??= performance.timeOrigin + performance.now(); };
              const timer = setInterval(async () => {
                const pc = window.parleyCall && window.parleyCall.pc;
                if (!pc) return;
                (await pc.getStats()).forEach((s) => {
                  if (s.kind !== 'video') return;
                  if (s.type === 'outbound-rtp' && s.framesEncoded > 0) mark('encodedByStatsPoll');
                  if (s.type === 'outbound-rtp' && s.packetsSent > 0) mark('sentByStatsPoll');
                  if (s.type === 'inbound-rtp' && s.packetsReceived > 0) mark('packetByStatsPoll');
                  if (s.type === 'inbound-rtp' && s.framesDecoded > 0) mark('decodedByStatsPoll');
                });
                if (window.benchMarks.decodedByStatsPoll && window.benchMarks.encodedByStatsPoll) clearInterval(timer);
              }, 10);
            })();
            """;


    /** Polls getStats every 20 ms in the page; records when framesDecoded first grows after arming. */
    private static final String ARM_FRAME_WATCH = """
            () => {
              const frames = async () => {
                const pc = window.parleyCall.pc; if (!pc) return 0;
                let n = 0; (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded || 0; });
                return n;
              };
              window.frameResumedAt = null;
              frames().then((base) => {
                window.frameWatchBase = base;
                const timer = setInterval(async () => {
                  const n = await frames();
                  // A rebuilt connection restarts counting at 0: any frames on it count as flowing.
                  if (n > window.frameWatchBase || (n > 0 && window.parleyCall.pc !== window.frameWatchPc)) {
                    window.frameResumedAt = performance.timeOrigin + performance.now();
                    clearInterval(timer);
                  }
                }, 20);
              });
              window.frameWatchPc = window.parleyCall.pc;
              return true;
            }
            """;

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int cuts = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        // Which setup runs (default all): host,relay,default-start,cross-check; "q=<query>" adds a
        // run of the app with extra query options, e.g. q=&videoStartKbps=1200.
        List<String> runs = List.of((args.length > 2 ? args[2] : "host,relay,default-start,cross-check").split(","));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "call");
        result.put("environment", environment());
        try (TestServer server = TestServer.start(); Chromium chromium = Chromium.launch()) {
            server.httpUrl("/");
            // Warm-up call (first page loads, codec and capture start-up) is not counted.
            try {
                runCall(chromium, server, "", false);
            } catch (RuntimeException e) {
                System.out.println("warm-up call failed: " + e.getMessage().lines().findFirst().orElse(""));
            }
            // The app's defaults, and the same app with the browser's own start bitrate (no
            // x-google-start-bitrate hint) as the side-by-side peer, interleaved so load hits both alike.
            if (runs.contains("host")) {
                result.put("setup_host", setupRun(chromium, server, "", calls, "app defaults (video start bitrate hint 800 kbps)"));
            }
            if (runs.contains("relay")) {
                result.put("setup_relay", setupRun(chromium, server, "&relay=1", calls,
                        "relay only (iceTransportPolicy relay through Parley's TURN on loopback)"));
            }
            if (runs.contains("default-start")) {
                result.put("setup_host_browser_default_start_bitrate",
                        setupRun(chromium, server, "&videoStartKbps=0", Math.max(1, calls / 4), "videoStartKbps=0"));
            }
            for (String run : runs) {
                if (run.startsWith("q=")) result.put("setup_host_" + run.substring(2).replaceAll("[^A-Za-z0-9]+", "_"),
                        setupRun(chromium, server, run.substring(2), calls, "app with " + run.substring(2)));
            }
            if (runs.contains("cross-check")) result.put("setup_host_first_frame_cross_check", setupRun(chromium, server, "", Math.max(1, calls / 4),
                    "app defaults, getStats polled every 10 ms in both pages (X.*ByStatsPoll: first video frame encoded, sent, packet received, decoded) to check X.firstFrame"));

            List<Double> recovery = new ArrayList<>();
            List<Double> detection = new ArrayList<>();
            List<Double> reconnected = new ArrayList<>();
            if (cuts > 0) {
                MediaCut cut = new MediaCut();
                for (int i = 0; i < cuts; i++) {
                    double[] r;
                    try {
                        r = runRecovery(chromium, server, cut);
                    } catch (RuntimeException e) {
                        System.out.println("cut " + (i + 1) + " did not recover within 90 s: " + e.getMessage().lines().findFirst().orElse(""));
                        continue;
                    }
                    detection.add(r[0]);
                    recovery.add(r[1]);
                    reconnected.add(r[2]);
                    System.out.printf(Locale.ROOT, "cut %d: cut → reconnecting shown %.0f ms; restore → connected on both %.0f ms,"
                            + " → frames on both %.0f ms%n", i + 1, r[0], r[2], r[1]);
                }
                result.put("recovery", Map.of(
                        "cuts", cuts,
                        "method", "all UDP in the namespace dropped (policy route to a dead veth) until the app shows 'restarting ICE', then restored; default recovery timers",
                        "cut_to_reconnecting_shown_ms", stats(detection),
                        "restore_to_connected_on_both_ms", stats(reconnected),
                        "restore_to_frames_on_both_ms", stats(recovery)));
            }
        }
        String json = toJson(result, "");
        System.out.println(json);
        Path out = Path.of("bench", "results", "call.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json + "\n");
        System.out.println("wrote " + out);
    }


    private static Map<String, Object> setupRun(Chromium chromium, TestServer server, String query, int calls, String label) {
        boolean statsPoll = label.contains("getStats polled");
        List<Double> setup = new ArrayList<>();
        List<Double> connect = new ArrayList<>();
        List<Double> firstFrameEach = new ArrayList<>();
        Map<String, List<Double>> phases = new java.util.TreeMap<>();
        int failed = 0;
        for (int i = 0; i < calls; i++) {
            Map<String, Double> one;
            try {
                one = runCall(chromium, server, query, statsPoll);
            } catch (RuntimeException e) {
                failed += 1; // counted and reported, never silently dropped
                System.out.println(label + " call " + (i + 1) + " did not get a frame on both pages within 90 s: "
                        + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            setup.add(one.get("setup"));
            connect.add(one.get("connected"));
            firstFrameEach.add(one.get("firstFrameA"));
            firstFrameEach.add(one.get("firstFrameB"));
            one.forEach((k, v) -> {
                if (k.contains(".")) phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            });
            System.out.printf(Locale.ROOT, "%s call %2d: both joined → connected %.0f ms, → first frame on both %.0f ms%n   %s%n",
                    label, i + 1, one.get("connected"), one.get("setup"), timeline(one));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", label);
        r.put("calls", calls);
        r.put("calls_without_frames_in_90s", failed);
        r.put("both_joined_to_first_frame_both_ms", stats(setup));
        r.put("both_joined_to_first_frame_each_page_ms", stats(firstFrameEach));
        r.put("both_joined_to_connected_ms", stats(connect));
        // Where the time goes: p50 of each milestone relative to "both joined", per page
        // (A waited in the room and answers, B joined second and offers). Negative = before B's join.
        Map<String, Object> medians = new LinkedHashMap<>();
        phases.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((x, y) -> Double.compare(median(x), median(y))))
                .forEach(e -> medians.put(e.getKey(), round(median(e.getValue()))));
        r.put("milestones_p50_ms", medians);
        return r;
    }

    /** One call: returns milestones relative to the second page's join, in ms. */
    private static Map<String, Double> runCall(Chromium chromium, TestServer server, String query, boolean statsPoll) {
        Page a = chromium.newPage();
        Page b = null;
        try {
            if (statsPoll) a.addInitScript(DECODED_POLL);
            a.navigate(server.httpUrl("/call?name=A" + query));
            a.waitForFunction("() => window.parleyCall && window.parleyCall.state === 'waiting'");
            String room = (String) a.evaluate("window.parleyCall.room");
            b = chromium.newPage();
            if (statsPoll) b.addInitScript(DECODED_POLL);
            b.navigate(server.httpUrl("/call?name=B&room=" + room + query));
            String done = statsPoll ? "() => window.parleyCall.marks.firstFrame && window.benchMarks.decodedByStatsPoll"
                    : "() => window.parleyCall.marks.firstFrame";
            for (Page p : List.of(a, b)) p.waitForFunction(done, null, new Page.WaitForFunctionOptions().setTimeout(90_000));
            Map<String, Object> ma = parse((String) a.evaluate(MARKS));
            Map<String, Object> mb = parse((String) b.evaluate(MARKS));
            if (statsPoll) {
                ma.putAll(parse((String) a.evaluate("JSON.stringify(window.benchMarks)")));
                mb.putAll(parse((String) b.evaluate("JSON.stringify(window.benchMarks)")));
            }
            double joined = num(mb, "joined");
            double frameA = num(ma, "firstFrame") - joined;
            double frameB = num(mb, "firstFrame") - joined;
            double connected = Math.max(num(ma, "connected"), num(mb, "connected")) - joined;
            Map<String, Double> one = new LinkedHashMap<>(Map.of("setup", Math.max(frameA, frameB),
                    "firstFrameA", frameA, "firstFrameB", frameB, "connected", connected));
            ma.forEach((k, v) -> one.put("A." + k, ((Number) v).doubleValue() - joined));
            mb.forEach((k, v) -> one.put("B." + k, ((Number) v).doubleValue() - joined));
            return one;
        } finally {
            a.context().close();
            if (b != null) b.context().close();
        }
    }

    private static double[] runRecovery(Chromium chromium, TestServer server, MediaCut cut) {
        Page a = chromium.newPage();
        Page b = null;
        try {
            a.navigate(server.httpUrl("/call?name=A"));
            a.waitForFunction("() => window.parleyCall && window.parleyCall.state === 'waiting'");
            String room = (String) a.evaluate("window.parleyCall.room");
            b = chromium.newPage();
            b.navigate(server.httpUrl("/call?name=B&room=" + room));
            for (Page p : List.of(a, b)) p.waitForFunction("() => window.parleyCall.marks.firstFrame",
                    null, new Page.WaitForFunctionOptions().setTimeout(90_000));
            a.waitForTimeout(1000);
            double cutAt = System.currentTimeMillis();
            cut.cut();
            a.waitForFunction("() => window.parleyCall.state === 'reconnecting'", null, new Page.WaitForFunctionOptions().setTimeout(90_000));
            double shownAt = System.currentTimeMillis();
            a.waitForFunction("() => /restarting ICE|new connection/i.test(window.parleyCall.reason)",
                    null, new Page.WaitForFunctionOptions().setTimeout(90_000));
            for (Page p : List.of(a, b)) p.evaluate(ARM_FRAME_WATCH);
            a.waitForTimeout(200);
            double restoredAt = System.currentTimeMillis();
            cut.restore();
            double resumed = 0;
            double connectedAgain = 0;
            for (Page p : List.of(a, b)) {
                p.waitForFunction("() => window.frameResumedAt", null, new Page.WaitForFunctionOptions().setTimeout(90_000));
                resumed = Math.max(resumed, ((Number) p.evaluate("window.frameResumedAt")).doubleValue());
                p.waitForFunction("() => window.parleyCall.state === 'connected'", null, new Page.WaitForFunctionOptions().setTimeout(90_000));
                // The app logs every state move with its performance.now() time.
                connectedAgain = Math.max(connectedAgain, ((Number) p.evaluate("performance.timeOrigin"
                        + " + window.parleyCall.log.filter((l) => l.state === 'connected').at(-1).at")).doubleValue());
            }
            return new double[] {shownAt - cutAt, resumed - restoredAt, connectedAgain - restoredAt};
        } finally {
            cut.restore();
            a.context().close();
            if (b != null) b.context().close();
        }
    }

    /** The same UDP cut as the call tests' MediaPathCut, refusing to run outside the private namespace. */
    static final class MediaCut {
        private boolean active;

        MediaCut() {
            String interfaces = read("/proc/net/dev");
            List<String> names = interfaces.lines().filter(l -> l.contains(":"))
                    .map(l -> l.substring(0, l.indexOf(':')).trim()).sorted().toList();
            if (!names.equals(List.of("lo", "pv0", "pv1"))) {
                throw new IllegalStateException("run inside the private namespace (bench/call.sh); interfaces here: " + names);
            }
            run("sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf.pv0.route_localnet=1");
            run("ip", "route", "replace", "127.0.0.0/8", "dev", "pv0", "table", "100");
            run("ip", "rule", "add", "pref", "100", "lookup", "local");
            run("ip", "rule", "del", "pref", "0");
        }

        void cut() {
            run("ip", "rule", "add", "pref", "10", "ipproto", "udp", "lookup", "100");
            active = true;
        }

        void restore() {
            if (!active) return;
            run("ip", "rule", "del", "pref", "10");
            active = false;
        }

        private static void run(String... command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** One call's milestones in time order, e.g. "B.offerSent 12 · A.offerReceived 14 · …". */
    private static String timeline(Map<String, Double> one) {
        return one.entrySet().stream().filter(e -> e.getKey().contains("."))
                .sorted(Map.Entry.comparingByValue())
                .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(" · "));
    }

    private static double median(List<Double> values) {
        return percentile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 50);
    }

    private static Map<String, Object> stats(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", sorted.length);
        s.put("p50", round(percentile(sorted, 50)));
        s.put("p95", round(percentile(sorted, 95)));
        s.put("min", round(sorted.length == 0 ? 0 : sorted[0]));
        s.put("max", round(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
        s.put("mean", round(Arrays.stream(sorted).average().orElse(0)));
        return s;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("nproc", Runtime.getRuntime().availableProcessors());
        env.put("cpu", read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
        env.put("java", System.getProperty("java.version"));
        env.put("chromium", chromiumVersion());
        env.put("loadavg_at_start", read("/proc/loadavg").trim());
        env.put("note", "2 vCPU shared with other engineers' builds; both pages and the server on one machine");
        return env;
    }

    private static String chromiumVersion() {
        try {
            Process p = new ProcessBuilder("/usr/bin/chromium", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out.lines().reduce((x, y) -> y).orElse(out);
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return dev.parley.testing.WsClient.JSON.readValue(json, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static String toJson(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            String inner = indent + "  ";
            return map.entrySet().stream()
                    .map(e -> inner + "\"" + e.getKey() + "\": " + toJson(e.getValue(), inner))
                    .collect(Collectors.joining(",\n", "{\n", "\n" + indent + "}"));
        }
        if (value instanceof Number || value instanceof Boolean) return String.valueOf(value);
        return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
