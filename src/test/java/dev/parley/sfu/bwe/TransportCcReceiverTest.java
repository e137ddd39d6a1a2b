package dev.parley.sfu.bwe;

import static dev.parley.codec.rtcp.TransportWideCcFeedback.NOT_RECEIVED;
import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtcp.Rtcp;
import dev.parley.codec.rtcp.TransportWideCcFeedback;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCcReceiverTest {
    private static TransportWideCcFeedback roundTrip(TransportWideCcFeedback f) {
        return (TransportWideCcFeedback) Rtcp.parseCompound(f.marshal()).get(0);
    }

    @Test
    void feedbackIsDueOnlyAfterTheIntervalAndOnlyWithNewPackets() {
        TransportCcReceiver receiver = new TransportCcReceiver(1, 50_000);
        assertFalse(receiver.feedbackDue(1_000_000), "nothing received yet");
        receiver.onPacket(1, 9, 1_000_000);
        receiver.buildFeedback(1_000_000);
        receiver.onPacket(2, 9, 1_010_000);
        assertFalse(receiver.feedbackDue(1_040_000));
        assertTrue(receiver.feedbackDue(1_050_000));
        assertEquals(1, receiver.buildFeedback(1_050_000).size());
        assertFalse(receiver.feedbackDue(1_200_000), "nothing new since the last feedback");
        assertEquals(List.of(), receiver.buildFeedback(1_200_000));
    }

    @Test
    void sequenceNumbersWrapInsideOneFeedback() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        receiver.onPacket(65534, 9, 0);
        receiver.onPacket(65535, 9, 1_000);
        receiver.onPacket(0, 9, 2_000);
        receiver.onPacket(1, 9, 3_000);
        List<TransportWideCcFeedback> feedback = receiver.buildFeedback(50_000);
        assertEquals(1, feedback.size());
        TransportWideCcFeedback f = roundTrip(feedback.get(0));
        assertEquals(65534, f.baseSequence());
        assertArrayEquals(new long[] {0, 1_000, 2_000, 3_000}, f.arrivalMicros());
        assertEquals(9, f.mediaSsrc());
        assertEquals(1, f.senderSsrc());
    }

    @Test
    void missingPacketsAreReportedLostAndALateOneIsReportedAgainAsReceived() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        receiver.onPacket(10, 9, 0);
        receiver.onPacket(13, 9, 4_000);
        TransportWideCcFeedback first = roundTrip(receiver.buildFeedback(50_000).get(0));
        assertArrayEquals(new long[] {0, -1, -1, 4_000}, first.arrivalMicros());
        receiver.onPacket(11, 9, 60_000); // reordered far behind
        receiver.onPacket(14, 9, 61_000);
        TransportWideCcFeedback second = roundTrip(receiver.buildFeedback(100_000).get(0));
        assertEquals(11, second.baseSequence(), "the range re-opens at the late packet");
        assertArrayEquals(new long[] {60_000, -1, 4_000, 61_000}, second.arrivalMicros(),
                "negative delta back to 13's arrival, then forward to 14's");
        assertEquals(first.feedbackPacketCount() + 1, second.feedbackPacketCount());
    }

    @Test
    void receiveDeltasUse250MicrosecondTicksWithoutAccumulatingRounding() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        for (int i = 0; i < 100; i++) {
            receiver.onPacket(i, 9, 1_000_000 + i * 333L); // 333 µs apart: not a multiple of 250
        }
        long[] arrivals = roundTrip(receiver.buildFeedback(2_000_000).get(0)).arrivalMicros();
        for (int i = 0; i < 100; i++) {
            long exact = i * 333L;
            assertEquals(Math.round(exact / 250.0) * 250, arrivals[i], "packet " + i);
        }
    }

    @Test
    void aLongLossRunIsOneSmallFeedback() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        receiver.onPacket(100, 9, 0);
        receiver.onPacket(3_100, 9, 20_000); // 2999 lost between
        List<TransportWideCcFeedback> feedback = receiver.buildFeedback(50_000);
        assertEquals(1, feedback.size());
        TransportWideCcFeedback f = roundTrip(feedback.get(0));
        assertEquals(3_001, f.packetStatusCount());
        assertTrue(f.marshalledLength() <= 32, "run-length chunks: " + f.marshalledLength() + " bytes");
        int[] statuses = f.statuses();
        for (int i = 1; i < 3_000; i++) {
            assertEquals(NOT_RECEIVED, statuses[i]);
        }
    }

    @Test
    void aGapLongerThanTwoByteDeltasCarrySplitsTheFeedback() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        receiver.onPacket(1, 9, 0);
        receiver.onPacket(2, 9, 10_000_000); // 10 s later: 40000 ticks > 32767
        receiver.onPacket(3, 9, 10_001_000);
        List<TransportWideCcFeedback> feedback = receiver.buildFeedback(10_050_000);
        assertEquals(2, feedback.size());
        assertArrayEquals(new long[] {0}, roundTrip(feedback.get(0)).arrivalMicros());
        TransportWideCcFeedback second = roundTrip(feedback.get(1));
        assertEquals(2, second.baseSequence());
        assertArrayEquals(new long[] {10_000_000, 10_001_000}, second.arrivalMicros());
    }

    @Test
    void manyPacketsWithLargeDeltasAreSplitToFitOneMtu() {
        TransportCcReceiver receiver = new TransportCcReceiver(1, 10_000_000);
        for (int i = 0; i < 1_000; i++) {
            receiver.onPacket(i, 9, i * 70_000L); // every delta needs two bytes
        }
        List<TransportWideCcFeedback> feedback = receiver.buildFeedback(100_000_000);
        assertTrue(feedback.size() >= 2);
        int covered = 0;
        for (TransportWideCcFeedback f : feedback) {
            assertTrue(f.marshalledLength() <= TransportCcReceiver.MAX_FEEDBACK_BYTES);
            assertEquals(covered, roundTrip(f).baseSequence());
            covered += f.packetStatusCount();
        }
        assertEquals(1_000, covered);
    }

    @Test
    void duplicatesAndPacketsTooLateAreCountedNotReported() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        receiver.onPacket(5_000, 9, 0);
        receiver.onPacket(5_000, 9, 1_000);
        assertEquals(1, receiver.duplicates());
        receiver.onPacket(6_000, 9, 2_000);
        receiver.buildFeedback(50_000);
        receiver.onPacket(5_001, 9, 60_000); // 999 behind the newest, after it was reported lost
        assertEquals(1, receiver.packetsTooLate());
        assertEquals(List.of(), receiver.buildFeedback(100_000));
    }

    @Test
    void aSenderThatRestartsItsCounterFarBehindIsFollowedAfterAResync() {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        for (int i = 0; i < 100; i++) {
            receiver.onPacket(40_000 + i, 9, i * 1_000L);
        }
        receiver.buildFeedback(100_000);
        for (int i = 0; i < TransportCcReceiver.RESYNC_AFTER_TOO_LATE; i++) {
            receiver.onPacket(10_000 + i, 9, 200_000 + i * 1_000L);
        }
        assertEquals(1, receiver.resyncs());
        receiver.onPacket(10_064, 9, 300_000);
        receiver.onPacket(10_065, 9, 301_000);
        List<TransportWideCcFeedback> feedback = receiver.buildFeedback(350_000);
        assertEquals(1, feedback.size());
        assertEquals(10_064, feedback.get(0).baseSequence());
        assertEquals(2, feedback.get(0).packetStatusCount());
    }
}
