package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two Chromium pages: one publishes its 640x480 fake camera in the simulcast layers libwebrtc
 * sends at that size (two: h at 320x240 and f at 640x480; see simulcastEncodingsFor), the other
 * asks the SFU for a small tile, then a large one. The receiver's getStats shows the frame size
 * follow, frames keep being decoded across the switch (no freeze), the switch lands on a key frame,
 * and the rewritten sequence numbers leave no hole (no loss counted).
 */
@Tag("browser")
class SimulcastBrowserTest {
    /** The subscribe connection's inbound video (of m-line {@code window.watchedMid} when set). */
    static final String VIDEO = """
            async () => {
              const pc = window.room.sfu?.subscribePc;
              if (!pc) return null;
              let video = null;
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video' && (!window.watchedMid || s.mid === window.watchedMid)) video = {
                  frames: s.framesDecoded ?? 0, keyFrames: s.keyFramesDecoded ?? 0, height: s.frameHeight ?? 0,
                  width: s.frameWidth ?? 0, lost: s.packetsLost ?? 0, packets: s.packetsReceived ?? 0,
                  freezes: s.freezeCount ?? 0 };
              });
              return video;
            }
            """;
    /** The publish connection's outbound layers: rid -> frames encoded. */
    static final String LAYERS = """
            async () => {
              const pc = window.room.sfu?.publishPc;
              const layers = {};
              if (pc) (await pc.getStats()).forEach((s) => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') layers[s.rid ?? '-'] = { frames: s.framesEncoded ?? 0,
                  width: s.frameWidth ?? 0, height: s.frameHeight ?? 0, limit: s.qualityLimitationReason ?? '',
                  limits: JSON.stringify(s.qualityLimitationDurations ?? {}) };
              });
              return layers;
            }
            """;

    private TestServer server;
    private Chromium chromium;

    @BeforeEach
    void start() {
        server = TestServer.start();
        // Default flags, as a user's Chromium: libwebrtc's layer limit applies (two layers at 640x480).
        chromium = Chromium.launch();
    }

    @AfterEach
    void stop() {
        chromium.close();
        server.close();
    }

    static Page joinRoom(Chromium chromium, TestServer server, String name, String room) {
        Page page = chromium.newPage();
        page.navigate(server.httpUrl("/room") + (room == null ? "" : "#" + room));
        page.fill("#name", name);
        page.click("#join");
        try {
            page.waitForFunction("() => document.getElementById('status').textContent.startsWith('in room')");
        } catch (RuntimeException e) {
            throw new AssertionError(name + " did not get into the room; status: " + page.textContent("#status"), e);
        }
        return page;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> poll(Page page, String script, Predicate<Map<String, Object>> done, long seconds, String what) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Map<String, Object> value;
        while (true) {
            value = (Map<String, Object>) page.evaluate(script);
            if (value != null && done.test(value)) return value;
            if (System.nanoTime() > deadline) throw new AssertionError(what + " within " + seconds + " s; last: " + value);
            page.waitForTimeout(300);
        }
    }

    static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void subscriberSwitchesFromLowToHighLayerAtAKeyFrameWithoutFreezing() {
        Page publisher = joinRoom(chromium, server, "Pub", null);
        String room = ((String) publisher.evaluate("location.hash")).substring(1);
        Page subscriber = joinRoom(chromium, server, "Sub", room);

        // The f layer is encoded at the camera's full 640x480 (before simulcastEncodingsFor, libwebrtc
        // dropped f at this size and the SFU saw 320x240 at most). Frames encoded, not a rate.
        Map<String, Object> layers = poll(publisher, LAYERS, l -> l.size() == 2
                && l.values().stream().allMatch(v -> num((Map<String, Object>) v, "frames") > 10)
                && l.get("f") instanceof Map<?, ?> f && num((Map<String, Object>) f, "width") == 640, 60,
                "the publisher encodes h and f, f at 640x480 (qualityLimitationReason says why not)");
        System.out.println("publisher layers: " + layers);
        String publisherId = (String) publisher.evaluate("window.room.signaling.peerId");
        MediaView seen = server.server().sfu().mediaViews().join().get(room).get(publisherId);
        assertEquals(640, seen.videoWidth(), "the SFU sees the full layer's width: " + seen);

        String subscriberId = (String) subscriber.evaluate("window.room.signaling.peerId");
        subscriber.evaluate("window.room.autoQuality = false"); // this test drives sfu-constraints itself
        subscriber.evaluate("window.room.sfu.setConstraints({ defaultMaxHeight: 180 }).then(() => true)");
        Map<String, Object> low = poll(subscriber, VIDEO, v -> num(v, "height") > 0 && num(v, "height") <= 240
                && num(v, "frames") > 20, 40, "the subscriber decodes the low layer");
        assertEquals(List.of("h"), List.copyOf(server.server().sfu().forwardedLayers(room, subscriberId).values()),
                "the SFU forwards the lowest layer (h, 240 rows) to a 180-pixel tile");

        subscriber.evaluate("window.room.sfu.setConstraints({ defaultMaxHeight: 1080 }).then(() => true)");
        Map<String, Object> high = poll(subscriber, VIDEO, v -> num(v, "height") >= 480, 40,
                "the subscriber decodes the full layer after asking for it");
        assertEquals(List.of("f"), List.copyOf(server.server().sfu().forwardedLayers(room, subscriberId).values()),
                "the SFU forwards the f layer to a large tile");
        subscriber.waitForTimeout(1500);
        Map<String, Object> after = (Map<String, Object>) subscriber.evaluate(VIDEO);
        System.out.println("low " + low + " -> high " + high + " -> after " + after);

        assertTrue(num(high, "keyFrames") > num(low, "keyFrames"), "the switch started with a key frame: " + low + " -> " + high);
        assertTrue(num(after, "frames") > num(high, "frames") && num(high, "frames") > num(low, "frames"),
                "frames keep being decoded through the switch: " + low + " -> " + high + " -> " + after);
        assertTrue(num(after, "lost") * 50 <= num(after, "packets"),
                "the rewritten sequence numbers leave no hole at the switch: " + after);
    }

    /** The publish connection's send-side estimate (bits/s), from its candidate pair. */
    static final String PUBLISH_ESTIMATE = """
            async () => {
              const pc = window.room.sfu?.publishPc;
              let bps = 0, f = null, fBps = 0;
              if (pc) (await pc.getStats()).forEach((s) => {
                if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) bps = s.availableOutgoingBitrate;
                if (s.type === 'outbound-rtp' && s.rid === 'f') { f = s.qualityLimitationReason; fBps = s.targetBitrate ?? 0; }
              });
              return { bps, f, fBps };
            }
            """;

    private static final List<String> BELOW_F = List.of("q", "h");

    @Test
    @SuppressWarnings("unchecked")
    void aSubscriberBehindANarrowPathGetsALowerLayerWhileAnotherKeepsTheFullOne() {
        Page publisher = joinRoom(chromium, server, "Pub", null);
        String room = ((String) publisher.evaluate("location.hash")).substring(1);
        Page narrow = joinRoom(chromium, server, "Narrow", room);
        Page wide = joinRoom(chromium, server, "Wide", room);
        String publisherId = (String) publisher.evaluate("window.room.signaling.peerId");
        for (Page page : List.of(narrow, wide)) {
            // watch only the publisher's video; the subscribers' own cameras are not forwarded to each other
            page.waitForFunction("id => [...window.room.sfu.remoteTracks.values()].some(e => e.peerId === id && e.track.kind === 'video')",
                    publisherId);
            page.evaluate("id => { const e = [...window.room.sfu.remoteTracks.values()].find(e => e.peerId === id && e.track.kind === 'video');"
                    + " window.watchedMid = e.mid; window.room.autoQuality = false;"
                    + " return window.room.sfu.setConstraints({ maxHeight: { [e.trackId]: 1080 }, defaultMaxHeight: 0 }).then(() => true); }",
                    publisherId);
        }
        poll(publisher, LAYERS, l -> l.size() == 2, 60, "the publisher encodes two simulcast layers");
        String narrowId = (String) narrow.evaluate("window.room.signaling.peerId");
        String wideId = (String) wide.evaluate("window.room.signaling.peerId");
        Sfu sfu = server.server().sfu();
        for (Page page : List.of(narrow, wide)) {
            String id = page == narrow ? narrowId : wideId;
            try {
                poll(page, VIDEO, v -> num(v, "height") >= 480, 60, "full layer at first");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; SFU: " + sfu.congestionSummary(room, id), e);
            }
        }
        // Transport-cc feedback from the SFU keeps the publisher's estimate where both layers are fed
        // (above 1 Mbit/s; on a loaded machine it dips after the start and climbs back). It need not
        // pass its 1.5 Mbit/s start: at 640x480 Chromium sends h+f, about 0.8-1.3 Mbit/s of fake
        // camera, and while application-limited GCC grows only to about 1.5x what is acknowledged
        // (docs/benchmarks.md, Simulcast layers in /room).
        Map<String, Object> publishEstimate = poll(publisher, PUBLISH_ESTIMATE, e -> num(e, "bps") > 1_000_000, 60,
                "the publisher's send-side estimate covers both layers on the SFU's transport-cc feedback");

        long estimateBefore = sfu.subscriberEstimate(room, narrowId);
        // 400 kbit/s on the path to one subscriber: f (640x480, most of the publisher's estimate
        // above h's 500 kbit/s) does not fit; h does at least at about 60 % of its rate without its
        // top temporal layer (Chromium's VP8 layers carry three; the allocator drops the top one
        // before the resolution), depending on the measured rates.
        sfu.capSubscriberForTest(room, narrowId, 400_000);
        Map<String, Object> low = poll(narrow, VIDEO, v -> num(v, "height") > 0 && num(v, "height") <= 240, 60,
                "the narrow subscriber's estimate moves it below the f layer");
        long estimateCapped = sfu.subscriberEstimate(room, narrowId);
        String videoTrack = publisherId + "-1";
        // Both at once: the narrow subscriber on q while the wide one gets f. The wide one's own
        // estimate may dip for a moment on this loaded machine, so wait up to 30 s for the pair.
        long pairDeadline = System.nanoTime() + 30_000_000_000L;
        Map<String, String> narrowLayers;
        Map<String, String> wideLayers;
        do {
            narrowLayers = sfu.forwardedLayers(room, narrowId);
            wideLayers = sfu.forwardedLayers(room, wideId);
            if (BELOW_F.contains(narrowLayers.get(videoTrack)) && "f".equals(wideLayers.get(videoTrack))) break;
            narrow.waitForTimeout(300);
        } while (System.nanoTime() < pairDeadline);
        System.out.println("narrow while capped: " + sfu.congestionSummary(room, narrowId));
        assertTrue(BELOW_F.contains(narrowLayers.get(videoTrack)), "forwarded to the narrow subscriber: " + narrowLayers
                + "; SFU: " + sfu.congestionSummary(room, narrowId));
        assertEquals("f", wideLayers.get(videoTrack), "the other subscriber keeps the full layer: " + wideLayers
                + "; SFU: " + sfu.congestionSummary(room, wideId));
        narrow.waitForTimeout(3000);
        Map<String, Object> stillLow = (Map<String, Object>) narrow.evaluate(VIDEO);
        assertTrue(num(stillLow, "frames") > num(low, "frames") + 20,
                "frames keep being decoded behind the narrow path: " + low + " -> " + stillLow);

        sfu.capSubscriberForTest(room, narrowId, 0);
        Map<String, Object> back = poll(narrow, VIDEO, v -> num(v, "height") >= 480, 90,
                "the narrow subscriber climbs back (probing) once the cap is lifted");
        System.out.println("narrow: " + sfu.congestionSummary(room, narrowId) + "\nwide: " + sfu.congestionSummary(room, wideId));
        System.out.println("publisher estimate " + publishEstimate + "; narrow estimate " + estimateBefore + " -> capped "
                + estimateCapped + " -> lifted " + sfu.subscriberEstimate(room, narrowId) + "; video " + low + " -> " + back);
        assertTrue(estimateCapped < estimateBefore, "the estimate fell under the cap: " + estimateBefore + " -> " + estimateCapped);
        assertTrue(num(back, "frames") > num(stillLow, "frames"), "frames kept coming: " + stillLow + " -> " + back);
        Map<String, Object> publishAfter = (Map<String, Object>) publisher.evaluate(PUBLISH_ESTIMATE);
        System.out.println("publisher after " + publishAfter + "; feedback sent " + counter("parley.sfu.transport.feedback.sent")
                + ", received " + counter("parley.sfu.congestion.feedback.received") + ", padding bytes "
                + counter("parley.sfu.probe.padding.bytes"));
        assertTrue(counter("parley.sfu.transport.feedback.sent") > 0, "the SFU sent transport-cc feedback to the publisher");
        assertTrue(counter("parley.sfu.congestion.feedback.received") > 0, "the subscribers sent transport-cc feedback");
        assertTrue(counter("parley.sfu.probe.padding.bytes") > 0, "the allocator probed with padding while the subscriber was short of its layer");
        // Not asserted: whether the publisher's f layer is bandwidth-limited at the end. On this
        // loaded 2-core machine the SFU's arrival times jitter with its event loop, and the
        // publisher's delay-based estimate then backs off now and then, as GCC should.
    }

    private double counter(String name) {
        var c = server.server().metrics().find(name).counter();
        return c == null ? 0 : c.count();
    }
}
