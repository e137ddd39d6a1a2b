package dev.parley.call;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Drives the /call app in Chromium pages: opens a call, waits for states, reads what getStats says
 * about the remote media. Waits are bounded and poll the page; nothing depends on how long a step took.
 */
final class CallPages implements AutoCloseable {
    /** Counters of the remote media as the page decodes and plays it (summed over the connection's inbound streams). */
    record RemoteMedia(long framesDecoded, int videoWidth, int videoHeight, long audioPacketsReceived,
                       double audioEnergy, long audioSamplesReceived, String connectionState) {}

    private static final String STATS = """
            async () => {
              const call = window.parleyCall;
              const video = document.getElementById('remote-video');
              const out = { framesDecoded: 0, audioPacketsReceived: 0, audioEnergy: 0, audioSamplesReceived: 0,
                            videoWidth: video.videoWidth, videoHeight: video.videoHeight,
                            connectionState: call.pc ? call.pc.connectionState : 'none' };
              if (!call.pc) return out;
              const report = await call.pc.getStats();
              report.forEach((s) => {
                if (s.type !== 'inbound-rtp') return;
                if (s.kind === 'video') out.framesDecoded += s.framesDecoded || 0;
                if (s.kind === 'audio') {
                  out.audioPacketsReceived += s.packetsReceived || 0;
                  out.audioEnergy += s.totalAudioEnergy || 0;
                  out.audioSamplesReceived += s.totalSamplesReceived || 0;
                }
              });
              return out;
            }
            """;

    private final Chromium chromium;
    private final TestServer server;

    private final List<Page> opened = new ArrayList<>();
    private final boolean owned;

    CallPages(Chromium chromium, TestServer server) {
        this(chromium, server, false);
    }

    private CallPages(Chromium chromium, TestServer server, boolean owned) {
        this.chromium = chromium;
        this.server = server;
        this.owned = owned;
    }

    /** A server and a browser (with extra flags) for one test class; {@link #close()} stops both. */
    static CallPages launch(List<String> chromiumArgs) {
        return launch(c -> c, chromiumArgs);
    }

    /** As {@link #launch(List)}, with the server's configuration changed by {@code customise}. */
    static CallPages launch(java.util.function.UnaryOperator<dev.parley.server.ParleyConfig> customise, List<String> chromiumArgs) {
        TestServer server = TestServer.start(customise);
        return new CallPages(Chromium.launch(chromiumArgs), server, true);
    }

    TestServer server() {
        return server;
    }

    Chromium chromium() {
        return chromium;
    }

    /** Closes every page opened since the last call (after each test). */
    void closePages() {
        for (Page page : opened) page.context().close();
        opened.clear();
    }

    @Override
    public void close() {
        closePages();
        if (!owned) return;
        chromium.close();
        server.close();
    }

    /**
     * A page with generous timeouts: the two cores of these machines are shared, and under load a
     * page can take many seconds to load. Timeouts bound a wait; they measure nothing.
     */
    Page newPage() {
        Page page = chromium.newPage();
        opened.add(page);
        page.setDefaultTimeout(60_000);
        page.setDefaultNavigationTimeout(60_000);
        return page;
    }

    /** Opens /call with the query (may be empty) and waits until the app is joined and waiting or connecting. */
    Page open(String query) {
        Page page = newPage();
        page.navigate(server.httpUrl("/call" + (query.isEmpty() ? "" : "?" + query)));
        page.waitForFunction("() => window.parleyCall && window.parleyCall.room");
        return page;
    }

    /** Two pages in one call, both connected. Returns {creator, joiner}. */
    Page[] call() {
        return call("");
    }

    /** Two pages in one call with extra query options (e.g. recovery timers), both connected. */
    Page[] call(String query) {
        String extra = query.isEmpty() ? "" : "&" + query;
        Page ann = open("name=Ann" + extra);
        awaitState(ann, "waiting");
        String room = (String) ann.evaluate("window.parleyCall.room");
        Page bob = open("name=Bob&room=" + room + extra);
        awaitState(ann, "connected");
        awaitState(bob, "connected");
        return new Page[] {ann, bob};
    }

    static void awaitState(Page page, String state) {
        page.waitForFunction("s => window.parleyCall.state === s", state,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
    }

    @SuppressWarnings("unchecked")
    static RemoteMedia remote(Page page) {
        Map<String, Object> m = (Map<String, Object>) page.evaluate(STATS);
        return new RemoteMedia(num(m, "framesDecoded").longValue(), num(m, "videoWidth").intValue(),
                num(m, "videoHeight").intValue(), num(m, "audioPacketsReceived").longValue(),
                num(m, "audioEnergy").doubleValue(), num(m, "audioSamplesReceived").longValue(),
                (String) m.get("connectionState"));
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n : 0;
    }

    /** Polls the page's remote media until the condition holds; fails with the last reading otherwise. */
    static RemoteMedia awaitRemote(Page page, String what, Predicate<RemoteMedia> condition) {
        long deadline = System.nanoTime() + 90_000_000_000L;
        RemoteMedia last = null;
        while (System.nanoTime() < deadline) {
            last = remote(page);
            if (condition.test(last)) return last;
            page.waitForTimeout(200);
        }
        throw new AssertionError("remote media never showed " + what + "; last reading " + last);
    }

    /** Waits until the remote video decoded `frames` more frames than in `from`. */
    static RemoteMedia awaitMoreFrames(Page page, RemoteMedia from, long frames) {
        return awaitRemote(page, frames + " more decoded frames", m -> m.framesDecoded() >= from.framesDecoded() + frames);
    }

    /** Waits until `seconds` more of remote audio were played out (48 kHz samples): a media-time window. */
    static RemoteMedia awaitAudioPlayout(Page page, RemoteMedia from, double seconds) {
        long samples = (long) (48_000 * seconds);
        return awaitRemote(page, seconds + " s more audio playout",
                m -> m.audioSamplesReceived() >= from.audioSamplesReceived() + samples);
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")));
    }
}
