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
 * Two Chromium pages: one publishes its fake camera in three simulcast layers (q/h/f), the other
 * asks the SFU for a small tile, then a large one. The receiver's getStats shows the frame size
 * follow, frames keep being decoded across the switch (no freeze), the switch lands on a key frame,
 * and the rewritten sequence numbers leave no hole (no loss counted).
 */
@Tag("browser")
class SimulcastBrowserTest {
    /** The subscribe connection's one inbound video. */
    static final String VIDEO = """
            async () => {
              const pc = window.room.sfu?.subscribePc;
              if (!pc) return null;
              let video = null;
              (await pc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') video = {
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
                if (s.type === 'outbound-rtp' && s.kind === 'video') layers[s.rid ?? '-'] = { frames: s.framesEncoded ?? 0, height: s.frameHeight ?? 0 };
              });
              return layers;
            }
            """;

    private TestServer server;
    private Chromium chromium;

    @BeforeEach
    void start() {
        server = TestServer.start();
        // 640x480 would be limited to two layers by libwebrtc's legacy table; this machine
        // cannot afford encoding 720p three times, so lift the limit instead.
        chromium = Chromium.launch(List.of("--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/"));
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

        Map<String, Object> layers = poll(publisher, LAYERS, l -> l.size() == 3
                && l.values().stream().allMatch(v -> num((Map<String, Object>) v, "frames") > 10), 60,
                "the publisher encodes three simulcast layers");
        System.out.println("publisher layers: " + layers);

        String subscriberId = (String) subscriber.evaluate("window.room.signaling.peerId");
        subscriber.evaluate("window.room.autoQuality = false"); // this test drives sfu-constraints itself
        subscriber.evaluate("window.room.sfu.setConstraints({ defaultMaxHeight: 180 }).then(() => true)");
        Map<String, Object> low = poll(subscriber, VIDEO, v -> num(v, "height") > 0 && num(v, "height") <= 180
                && num(v, "frames") > 20, 40, "the subscriber decodes the low layer");
        assertEquals(List.of("q"), List.copyOf(server.server().sfu().forwardedLayers(room, subscriberId).values()),
                "the SFU forwards the q layer to a 180-pixel tile");

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
}
