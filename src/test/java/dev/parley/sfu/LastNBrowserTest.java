package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.SyntheticPeer;
import dev.parley.testing.SyntheticSdp;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Last-N: four publishers (one Chromium page with its fake camera, three synthetic peers with
 * controllable audio levels) and a subscriber that asked for {@code lastN: 2}. It receives
 * exactly two videos and all four audios; when a participant whose video was held back starts
 * talking, it becomes dominant speaker and its video is among the two.
 */
@Tag("browser")
class LastNBrowserTest {
    @TempDir
    Path dir;

    /** Paces the synthetic publishers: 50 audio packets/s at each one's level, 30 video packets/s. */
    private static final class Pacer extends Thread {
        final List<SyntheticPeer> peers;
        final Map<SyntheticPeer, Integer> levels = new java.util.concurrent.ConcurrentHashMap<>();
        final List<SyntheticPeer> keepAlive;
        volatile boolean running = true;

        Pacer(List<SyntheticPeer> peers, List<SyntheticPeer> keepAlive) {
            super("pacer");
            this.peers = peers;
            this.keepAlive = keepAlive;
            setDaemon(true);
            for (SyntheticPeer p : peers) levels.put(p, 127);
        }

        @Override
        public void run() {
            long tick = 0;
            while (running) {
                for (SyntheticPeer p : peers) {
                    p.sendAudio(80, levels.get(p));
                    if (tick % 3 != 2) p.sendVideo(600);
                }
                if (tick % 100 == 0) keepAlive.forEach(SyntheticPeer::keepAlive);
                tick++;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Kind ("audio"/"video") → SSRCs that received packets during {@code millis}. */
    private static Map<String, List<String>> receivingDuring(SyntheticPeer subscriber, List<SyntheticSdp.Track> tracks, long millis)
            throws InterruptedException {
        Map<SyntheticSdp.Track, Long> before = new HashMap<>();
        for (SyntheticSdp.Track t : tracks) before.put(t, subscriber.stats().packets(t.ssrc()));
        Thread.sleep(millis);
        Map<String, List<String>> receiving = new HashMap<>(Map.of("audio", new ArrayList<>(), "video", new ArrayList<>()));
        for (SyntheticSdp.Track t : tracks) {
            if (subscriber.stats().packets(t.ssrc()) > before.get(t)) receiving.get(t.kind()).add(t.streamId());
        }
        return receiving;
    }

    @Test
    @Timeout(240)
    void subscriberGetsTheNMostRelevantVideosAndEveryAudio() throws Exception {
        List<SyntheticPeer> everyone = new ArrayList<>();
        Pacer pacer = null;
        try (TestServer server = TestServer.start();
                Chromium chromium = Chromium.launch(List.of("--use-file-for-fake-audio-capture="
                        + ActiveSpeakerBrowserTest.wav(dir.resolve("silence.wav"), 5, false)))) {
            Page camera = SimulcastBrowserTest.joinRoom(chromium, server, "Camera", null);
            String room = ((String) camera.evaluate("location.hash")).substring(1);
            SyntheticPeer subscriber = SyntheticPeer.join(server.wsUri(), room, "viewer");
            everyone.add(subscriber);
            subscriber.sfuJoin();
            JsonNode constrained = subscriber.request(WsClient.msg("sfu-constraints", "lastN", 2));
            assertEquals("response", constrained.path("type").asText(), "sfu-constraints accepted: " + constrained);
            List<SyntheticPeer> publishers = new ArrayList<>();
            for (String name : List.of("s1", "s2", "s3")) {
                SyntheticPeer p = SyntheticPeer.join(server.wsUri(), room, name);
                everyone.add(p);
                p.publish(true, true);
                publishers.add(p);
            }
            pacer = new Pacer(publishers, everyone);
            pacer.start();
            List<SyntheticSdp.Track> tracks = subscriber.awaitTracks(8, Duration.ofSeconds(60));
            subscriber.awaitTracks(8, Duration.ofSeconds(1));

            // the Chromium publisher's video needs a key frame to start: allow a few seconds
            Map<String, List<String>> receiving = Map.of();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                receiving = receivingDuring(subscriber, tracks, 1500);
                if (receiving.get("audio").size() == 4 && receiving.get("video").size() >= 2) break;
            }
            assertEquals(4, receiving.get("audio").size(), "every audio is forwarded: " + receiving);
            assertEquals(2, receiving.get("video").size(), "exactly lastN = 2 videos are forwarded: " + receiving);

            List<String> firstVideos = receiving.get("video");
            SyntheticPeer heldBack = publishers.stream().filter(p -> !firstVideos.contains(p.peerId())).findFirst().orElseThrow();
            pacer.levels.put(heldBack, 20); // starts talking
            Map<String, List<String>> after = Map.of();
            deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                after = receivingDuring(subscriber, tracks, 1000);
                if (after.get("video").contains(heldBack.peerId())) break;
            }
            after = receivingDuring(subscriber, tracks, 1500);
            assertTrue(after.get("video").contains(heldBack.peerId()),
                    "the new dominant speaker's video is forwarded: " + receiving + " -> " + after);
            assertEquals(2, after.get("video").size(), "still exactly two videos: " + after);
            assertEquals(4, after.get("audio").size(), "still every audio: " + after);
            Map<String, String> layers = server.server().sfu().forwardedLayers(room, subscriber.peerId());
            assertEquals(2, layers.values().stream().filter(l -> !l.equals("paused")).count(), "the SFU's view agrees: " + layers);
            assertEquals("on", layers.get(heldBack.peerId() + "-1"), "the speaker's video is forwarded: " + layers);
        } finally {
            if (pacer != null) pacer.running = false;
            for (SyntheticPeer p : everyone) p.close();
        }
    }
}
