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
}
