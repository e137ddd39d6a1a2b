package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtcp.Rtcp;
import dev.parley.codec.rtcp.RtcpPacket;
import dev.parley.codec.rtcp.TransportWideCcFeedback;
import dev.parley.codec.rtp.SequenceNumbers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.*;

/**
 * Whatever the arrival pattern (wraparound, reordering, loss runs, long silences), feedback
 * marshalled, parsed back and read in order says exactly what arrived and when, to 250 µs.
 */
class TransportCcReceiverProperties {
    /** One arrival: sequence step from the newest so far (negative = reordered) and time step. */
    record Step(int sequenceStep, long timeStepMicros, boolean feedbackAfter) {}

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Integer> sequenceSteps = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(2, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 3_000)),
                Tuple.of(2, Arbitraries.integers().between(-30, 0)));
        Arbitrary<Long> timeSteps = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.longs().between(0, 20_000)),
                Tuple.of(1, Arbitraries.longs().between(20_000, 12_000_000)));
        Arbitrary<Boolean> feedbackAfter = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(true)), Tuple.of(8, Arbitraries.just(false)));
        return Combinators.combine(sequenceSteps, timeSteps, feedbackAfter).as(Step::new).list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 400)
    void parsedFeedbackEqualsTheRecordedArrivals(@ForAll("scripts") List<Step> script,
                                                 @ForAll("firstSequences") int firstSequence) {
        TransportCcReceiver receiver = new TransportCcReceiver(7);
        Map<Long, Long> expected = new HashMap<>(); // extended sequence -> arrival relative to the first
        Map<Long, Long> reported = new HashMap<>(); // extended sequence -> last reported arrival, -1 lost
        long newest = firstSequence;
        long now = 5_000_000;
        long lowest = firstSequence;
        long[] highestReported = {Long.MIN_VALUE};
        long origin = Long.MIN_VALUE; // the receiver's clock origin is the first arrival
        for (Step step : script) {
            long sequence = Math.max(lowest, newest + step.sequenceStep());
            now += step.timeStepMicros();
            if (origin == Long.MIN_VALUE) {
                origin = now;
            }
            long before = receiver.packetsTooLate() + receiver.duplicates();
            receiver.onPacket((int) (sequence & 0xFFFF), 99, now);
            if (receiver.packetsTooLate() + receiver.duplicates() == before) {
                expected.put(sequence, Math.round((now - origin) / 250.0) * 250);
            }
            newest = Math.max(newest, sequence);
            if (step.feedbackAfter() || receiver.feedbackDue(now)) { // as the Router polls it
                collect(receiver.buildFeedback(now), newest, reported, highestReported);
            }
        }
        collect(receiver.buildFeedback(now), newest, reported, highestReported);
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            assertEquals(e.getValue(), reported.get(e.getKey()), "arrival of " + e.getKey());
        }
        for (Map.Entry<Long, Long> e : reported.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                assertEquals(-1L, e.getValue(), "never arrived, so reported lost: " + e.getKey());
            }
        }
        assertEquals(newest, highestReported[0], "everything up to the newest is reported");
    }

    @Provide
    Arbitrary<Integer> firstSequences() {
        return Arbitraries.oneOf(Arbitraries.integers().between(65_000, 65_535), Arbitraries.integers().between(0, 65_535));
    }

    private static void collect(List<TransportWideCcFeedback> feedback, long newest, Map<Long, Long> reported,
                                long[] highestReported) {
        for (TransportWideCcFeedback built : feedback) {
            assertTrue(built.marshalledLength() <= TransportCcReceiver.MAX_FEEDBACK_BYTES);
            List<RtcpPacket> parsed = Rtcp.parseCompound(built.marshal());
            assertEquals(List.of(built), parsed);
            TransportWideCcFeedback f = (TransportWideCcFeedback) parsed.get(0);
            long base = newest + SequenceNumbers.diff(f.baseSequence(), (int) (newest & 0xFFFF));
            long[] arrivals = f.arrivalMicros();
            for (int i = 0; i < arrivals.length; i++) {
                reported.put(base + i, arrivals[i]);
            }
            highestReported[0] = Math.max(highestReported[0], base + arrivals.length - 1);
        }
    }
}
