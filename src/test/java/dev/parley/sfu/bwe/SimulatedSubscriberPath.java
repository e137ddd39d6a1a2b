package dev.parley.sfu.bwe;

import dev.parley.codec.rtcp.Rtcp;
import dev.parley.codec.rtcp.RtcpPacket;
import dev.parley.codec.rtcp.TransportWideCcFeedback;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The SFU → subscriber path end to end on a virtual clock, with millisecond steps: a sender that
 * paces packets at the current estimate (as a padding-probing SFU would), the bottleneck, the
 * receiver's {@link TransportCcReceiver}, and feedback marshalled to bytes and parsed back
 * before it reaches the {@link SendSideBandwidthEstimator}.
 */
final class SimulatedSubscriberPath {
    static final int PACKET_BYTES = 1200;
    private static final long STEP_MICROS = 1_000;

    final SimulatedBottleneck link;
    final SendSideBandwidthEstimator estimator;
    final TransportCcReceiver receiver = new TransportCcReceiver(0x1234);
    private final long returnDelayMicros;
    private final PriorityQueue<long[]> inFlight = new PriorityQueue<>(Comparator.comparingLong((long[] p) -> p[0])); // {arrival, sequence}
    private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>(); // {deliverAt, bytes}
    long nowMicros;
    private double budgetBytes;
    private int sequence;
    long packetsSent;
    long feedbackBytes;

    SimulatedSubscriberPath(SimulatedBottleneck link, SendSideBandwidthEstimator estimator, int firstSequence) {
        this.link = link;
        this.estimator = estimator;
        this.returnDelayMicros = link.propagationMicros;
        this.sequence = firstSequence & 0xFFFF;
    }

    /** Runs until {@code untilMicros}; calls {@code sample} once per simulated 100 ms. */
    void runUntil(long untilMicros, java.util.function.LongConsumer sample) {
        while (nowMicros < untilMicros) {
            nowMicros += STEP_MICROS;
            while (!inFlight.isEmpty() && inFlight.peek()[0] <= nowMicros) {
                long[] p = inFlight.poll();
                receiver.onPacket((int) p[1], 0xABCD, p[0]);
            }
            if (receiver.feedbackDue(nowMicros)) {
                for (TransportWideCcFeedback f : receiver.buildFeedback(nowMicros)) {
                    byte[] bytes = f.marshal();
                    feedbackBytes += bytes.length;
                    feedbackInFlight.add(new Object[] {nowMicros + returnDelayMicros, bytes});
                }
            }
            while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peek()[0] <= nowMicros) {
                for (RtcpPacket p : Rtcp.parseCompound((byte[]) feedbackInFlight.poll()[1])) {
                    estimator.onTransportFeedback((TransportWideCcFeedback) p, nowMicros);
                }
            }
            budgetBytes = Math.min(budgetBytes + estimator.estimateBps() * (STEP_MICROS / 1e6) / 8, 4 * PACKET_BYTES);
            while (budgetBytes >= PACKET_BYTES) {
                budgetBytes -= PACKET_BYTES;
                estimator.onPacketSent(sequence, nowMicros, PACKET_BYTES);
                long arrival = link.send(nowMicros, PACKET_BYTES);
                if (arrival >= 0) {
                    inFlight.add(new long[] {arrival, sequence});
                }
                sequence = (sequence + 1) & 0xFFFF;
                packetsSent++;
            }
            if (sample != null && nowMicros % 100_000 == 0) {
                sample.accept(estimator.estimateBps());
            }
        }
    }
}
