package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real Chromium pages with fake camera and microphone in one room, through Parley's SFU. */
@Tag("browser")
class SfuBrowserTest {
    /** Inbound RTP of the subscribe connection, per kind: [tracks, min framesDecoded or packetsReceived]. */
    static final String INBOUND = """
            async () => {
              const pc = window.room.sfu?.subscribePc;
              if (!pc) return { video: [], audio: [] };
              const stats = await pc.getStats();
              const video = [], audio = [];
              stats.forEach((s) => {
                if (s.type !== 'inbound-rtp') return;
                if (s.kind === 'video') video.push({ frames: s.framesDecoded ?? 0, lost: s.packetsLost ?? 0, packets: s.packetsReceived ?? 0, width: s.frameWidth ?? 0, nacks: s.nackCount ?? 0, repaired: s.retransmittedPacketsReceived ?? 0 });
                else audio.push({ packets: s.packetsReceived ?? 0, lost: s.packetsLost ?? 0 });
              });
              return { video, audio };
            }
            """;

    private TestServer server;
    private Chromium chromium;
    private final List<Page> pages = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start();
        chromium = Chromium.launch();
    }

    @AfterEach
    void stop() {
        chromium.close();
        server.close();
    }

    private Page joinRoom(String name, String room) {
        Page page = SimulcastBrowserTest.joinRoom(chromium, server, name, room);
        pages.add(page);
        return page;
    }

    private static String roomOf(Page page) {
        return ((String) page.evaluate("location.hash")).substring(1);
    }

    /** Waits until the page decodes {@code videos} remote videos and hears {@code audios} remote audios, with frames growing. */
    @SuppressWarnings("unchecked")
    static void awaitMedia(Page page, int videos, int audios) {
        // getStats is async and waitForFunction treats a promise as truthy: poll from here instead.
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<String, Object> stats;
        while (true) {
            stats = (Map<String, Object>) page.evaluate(INBOUND);
            long decoding = ((List<Map<String, Object>>) stats.get("video")).stream()
                    .filter(v -> ((Number) v.get("frames")).longValue() > 5).count();
            long hearing = ((List<Map<String, Object>>) stats.get("audio")).stream()
                    .filter(a -> ((Number) a.get("packets")).longValue() > 20).count();
            if (decoding >= videos && hearing >= audios) break;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + videos + " decoding videos and " + audios + " audios, got " + stats);
            }
            page.waitForTimeout(250);
        }
        Map<String, Object> before = stats;
        page.waitForTimeout(1500);
        Map<String, Object> after = (Map<String, Object>) page.evaluate(INBOUND);
        long framesBefore = sum((List<Map<String, Object>>) before.get("video"), "frames");
        long framesAfter = sum((List<Map<String, Object>>) after.get("video"), "frames");
        assertTrue(framesAfter > framesBefore, "frames keep being decoded: " + framesBefore + " -> " + framesAfter);
        long audioBefore = sum((List<Map<String, Object>>) before.get("audio"), "packets");
        long audioAfter = sum((List<Map<String, Object>>) after.get("audio"), "packets");
        assertTrue(audioAfter > audioBefore, "audio keeps arriving: " + audioBefore + " -> " + audioAfter);
    }

    static long sum(List<Map<String, Object>> entries, String key) {
        return entries.stream().mapToLong(e -> ((Number) e.get(key)).longValue()).sum();
    }

    @Test
    @SuppressWarnings("unchecked")
    void threePagesSeeAndHearEachOtherThroughTheSfu() {
        Page ann = joinRoom("Ann", null);
        String room = roomOf(ann);
        Page bob = joinRoom("Bob", room);
        Page cy = joinRoom("Cy", room);
        for (Page page : List.of(ann, bob, cy)) awaitMedia(page, 2, 2);

        Map<String, Object> stats = (Map<String, Object>) ann.evaluate(INBOUND);
        for (Map<String, Object> video : (List<Map<String, Object>>) stats.get("video")) {
            long packets = ((Number) video.get("packets")).longValue();
            long lost = ((Number) video.get("lost")).longValue();
            assertTrue(lost * 20 <= packets, "packet loss small on loopback: " + video);
            assertTrue(((Number) video.get("width")).intValue() > 0, "decoded frames have a size: " + video);
        }
        Object tiles = ann.evaluate("[...document.querySelectorAll('.tile:not(.local) .name')].map(e => e.textContent).sort()");
        assertEquals(List.of("Bob", "Cy"), tiles, "tiles are labelled with the others' names");
        Object videoWidths = ann.evaluate("[...document.querySelectorAll('.tile:not(.local) video')].map(v => v.videoWidth)");
        assertTrue(((List<Number>) videoWidths).stream().allMatch(w -> w.intValue() > 0), "remote videos render: " + videoWidths);

        Sfu.Counts counts = server.server().sfu().counts();
        assertEquals(new Sfu.Counts(1, 3, 6, 6, 12), counts, "3 peers x (publish + subscribe), 2 tracks each, each forwarded to 2 others");

        cy.close();
        ann.waitForFunction("() => window.room.sfu.remoteTracks.size === 2 && !document.querySelector('.tile[data-peer]:not(.local) + .tile:not(.local) + .tile:not(.local)')");
        assertEquals(1L, ((Number) ann.evaluate("document.querySelectorAll('.tile:not(.local)').length")).longValue(),
                "the page that left has no tile any more");
        awaitMedia(ann, 1, 1);
    }

    @Test
    void lateJoinerGetsAKeyFrameAndDecodes() {
        Page ann = joinRoom("Ann", null);
        String room = roomOf(ann);
        Page bob = joinRoom("Bob", room);
        awaitMedia(bob, 1, 1);
        bob.waitForTimeout(3000); // the publisher is well past its first key frame
        Page late = joinRoom("Late", room);
        awaitMedia(late, 2, 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void lossTowardsASubscriberIsRepairedByNackAndRetransmission() {
        Page ann = joinRoom("Ann", null);
        Page bob = joinRoom("Bob", roomOf(ann));
        awaitMedia(bob, 1, 1);
        Sfu sfu = server.server().sfu();
        sfu.subscriberLoss(0.05);
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (counter("parley.sfu.retransmissions") < 20 && System.nanoTime() < deadline) bob.waitForTimeout(250);
            assertTrue(counter("parley.sfu.test.dropped") > 0, "the hook dropped packets");
            assertTrue(counter("parley.sfu.retransmissions") >= 20, "NACKed packets were resent from the cache");
            awaitMedia(bob, 1, 1);
            Map<String, Object> stats = (Map<String, Object>) bob.evaluate(INBOUND);
            long nacks = sum((List<Map<String, Object>>) stats.get("video"), "nacks");
            assertTrue(nacks > 0, "the browser asked for the missing packets: " + stats);
            long deadline2 = System.nanoTime() + 20_000_000_000L;
            while (sum((List<Map<String, Object>>) stats.get("video"), "repaired") == 0 && System.nanoTime() < deadline2) {
                bob.waitForTimeout(500);
                stats = (Map<String, Object>) bob.evaluate(INBOUND);
            }
            assertTrue(sum((List<Map<String, Object>>) stats.get("video"), "repaired") > 0,
                    "the browser received the repairs as RTX: " + stats);
        } finally {
            sfu.subscriberLoss(0);
        }
    }

    private double counter(String name) {
        var c = server.server().metrics().find(name).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void everythingIsFreedWhenEveryoneLeaves() {
        Page ann = joinRoom("Ann", null);
        Page bob = joinRoom("Bob", roomOf(ann));
        awaitMedia(ann, 1, 1);
        bob.click("#leave");
        assertTrue(bob.isVisible("#left") && !bob.isVisible("#call") && bob.locator("#grid video").count() == 0,
                "the one who left sees that they left, not a frozen call");
        ann.waitForFunction("() => window.room.sfu.remoteTracks.size === 0");
        ann.click("#leave");
        long deadline = System.nanoTime() + 10_000_000_000L;
        Sfu.Counts counts;
        do {
            counts = server.server().sfu().counts();
        } while (!counts.equals(new Sfu.Counts(0, 0, 0, 0, 0)) && System.nanoTime() < deadline);
        assertEquals(new Sfu.Counts(0, 0, 0, 0, 0), counts, "open transports: " + server.server().sfu().openTransportIds());
    }
}
