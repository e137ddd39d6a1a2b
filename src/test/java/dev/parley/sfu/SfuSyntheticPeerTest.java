package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.MediaReceiveStats;
import dev.parley.testing.SyntheticPeer;
import dev.parley.testing.SyntheticSdp;
import dev.parley.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two synthetic peers (real signaling, ICE, DTLS and SRTP from Java, no browser) in one room:
 * what one publishes reaches the other through the SFU, re-encrypted and under the SSRC the
 * SFU announced, and the SFU frees everything when they leave.
 */
class SfuSyntheticPeerTest {
    private static final int PACKETS = 400;

    @Test
    @Timeout(150) // cold DTLS handshakes on a loaded 2-core machine take seconds
    void publishedVideoReachesSubscriberWithRewrittenSsrcAndValidSrtp() throws Exception {
        try (TestServer server = TestServer.start()) {
            SyntheticPeer publisher = SyntheticPeer.join(server.wsUri(), null, "publisher");
            SyntheticPeer subscriber = SyntheticPeer.join(server.wsUri(), publisher.room(), "subscriber");
            try {
                subscriber.sfuJoin();
                publisher.publish(false, true);
                List<SyntheticSdp.Track> tracks = subscriber.awaitTracks(1, Duration.ofSeconds(15));
                assertEquals(1, tracks.size(), "one video track offered");
                long forwardedSsrc = tracks.get(0).ssrc();
                assertNotEquals(publisher.publishedSsrcs().video(), forwardedSsrc, "the SFU rewrites the SSRC");
                assertEquals(publisher.peerId(), tracks.get(0).streamId(), "the stream is named after the publisher");

                for (int i = 0; i < PACKETS; i++) {
                    assertTrue(publisher.sendVideo(1000), "packet " + i + " sent");
                    if (i % 10 == 9) Thread.sleep(5); // ≈ 2000 pps, a burst of ten at a time
                }
                MediaReceiveStats stats = subscriber.stats();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (stats.verified() < PACKETS && System.nanoTime() < deadline) Thread.sleep(20);

                assertTrue(stats.verified() > PACKETS * 9 / 10,
                        "subscriber decrypted " + stats.verified() + " of " + PACKETS + " packets (lost " + stats.lost() + ")");
                assertEquals(0, stats.srtpFailures(), "every forwarded packet authenticates with the subscribe keys");
                assertEquals(0, stats.corrupt(), "payloads arrive intact");
                assertEquals(0, stats.unknownSsrc(), "no packet on an SSRC the offer did not announce");
                assertArrayEquals(new long[] {forwardedSsrc}, stats.receivedSsrcs());
                assertTrue(stats.latencies().length > 0, "latency measured from the payload's send time");
            } finally {
                publisher.leave();
                subscriber.leave();
            }

            Sfu.Counts zero = new Sfu.Counts(0, 0, 0, 0, 0);
            Sfu.Counts counts = server.server().sfu().counts();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!counts.equals(zero) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                counts = server.server().sfu().counts();
            }
            assertEquals(zero, counts, "routers, participants, transports, producers and consumers all freed");
        }
    }

    @Test
    @Timeout(150)
    void simulcastLayersAreLearntFromTheRidExtensionAndFollowTheSubscribersTileSize() throws Exception {
        try (TestServer server = TestServer.start(); VideoPair pair = VideoPair.start(server, true)) {
            String track = pair.publisher().peerId() + "-0";
            String room = pair.publisher().room();
            Sfu sfu = server.server().sfu();
            for (String[] step : new String[][] {{"180", "q"}, {"360", "h"}, {"1080", "f"}, {"0", "paused"}}) {
                var answer = pair.subscriber().request(dev.parley.testing.WsClient.msg("sfu-constraints",
                        "maxHeight", java.util.Map.of(track, Integer.parseInt(step[0]))));
                assertEquals("response", answer.path("type").asText(), answer.toString());
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!step[1].equals(sfu.forwardedLayers(room, pair.subscriber().peerId()).get(track))
                        && System.nanoTime() < deadline) {
                    for (int layer = 0; layer < 3; layer++) pair.publisher().sendVideoLayer(layer, 300);
                    Thread.sleep(10);
                }
                assertEquals(step[1], sfu.forwardedLayers(room, pair.subscriber().peerId()).get(track),
                        "a " + step[0] + "-pixel tile gets layer " + step[1]);
            }
            MediaReceiveStats stats = pair.subscriber().stats();
            assertEquals(0, stats.srtpFailures());
            assertEquals(0, stats.unknownSsrc(), "every layer arrives under the one SSRC the SFU announced");
            assertEquals(1, stats.receivedSsrcs().length);
            assertEquals(0, stats.lost(), "no sequence number gap across three layer switches");
        }
    }

    @Test
    @Timeout(150)
    void aMalformedVp8PayloadIsDroppedAndCountedAndTheStreamGoesOn() throws Exception {
        try (TestServer server = TestServer.start(); VideoPair pair = VideoPair.start(server, false)) {
            MediaReceiveStats stats = pair.subscriber().stats();
            sendUntilVerified(pair.publisher(), stats, 20);
            // RFC 7741 §4.2: X set, then I set, but the PictureID byte is missing
            assertTrue(pair.publisher().sendRawVideo(new byte[] {(byte) 0x80, (byte) 0x80}));
            long before = stats.verified();
            sendUntilVerified(pair.publisher(), stats, before + 20);
            var malformed = server.server().metrics().find("parley.sfu.rtp.malformed.payload").counter();
            assertEquals(1.0, malformed.count(), 0.0, "the bad packet was counted");
            assertEquals(0, stats.corrupt(), "nothing malformed reached the subscriber");
        }
    }

    /** Sends good video packets until the subscriber has verified {@code count} of them (fails after 10 s). */
    private static void sendUntilVerified(SyntheticPeer publisher, MediaReceiveStats stats, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stats.verified() < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + stats.verified() + " of " + count + " packets arrived");
            publisher.sendVideo(300);
            Thread.sleep(5);
        }
    }

    /** A synthetic publisher of one video track and a subscriber that has its track, in one room. */
    private record VideoPair(SyntheticPeer publisher, SyntheticPeer subscriber) implements AutoCloseable {
        static VideoPair start(TestServer server, boolean simulcast) {
            SyntheticPeer publisher = SyntheticPeer.join(server.wsUri(), null, "publisher");
            SyntheticPeer subscriber = SyntheticPeer.join(server.wsUri(), publisher.room(), "subscriber");
            VideoPair pair = new VideoPair(publisher, subscriber);
            try {
                subscriber.sfuJoin();
                publisher.publish(false, true, simulcast);
                subscriber.awaitTracks(1, Duration.ofSeconds(15));
                return pair;
            } catch (RuntimeException | AssertionError e) {
                pair.close();
                throw e;
            }
        }

        @Override
        public void close() {
            publisher.leave();
            subscriber.leave();
        }
    }
}
