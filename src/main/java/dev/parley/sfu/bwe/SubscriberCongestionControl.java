package dev.parley.sfu.bwe;

import dev.parley.codec.rtcp.ReceiverEstimatedMaxBitrate;
import dev.parley.codec.rtcp.RtcpPacket;
import dev.parley.codec.rtcp.TransportWideCcFeedback;
import java.util.List;

/**
 * Everything congestion control keeps for one subscriber transport, behind the few calls the
 * Router makes: stamp and record each packet sent, hand over feedback, allocate layers, and
 * pad while a probe runs. Owns a {@link TransportSequenceStamper} (when transport-cc was
 * negotiated), a {@link SendSideBandwidthEstimator} and a {@link BitrateAllocator}. One per
 * subscriber transport, on its Router's thread; no allocation per packet.
 */
public final class SubscriberCongestionControl {
    /** Largest padding one packet can carry: RFC 3550 §5.1 counts it in one byte. */
    public static final int MAX_PADDING_BYTES = 255;
    /** Padding is released in bursts of at most this many milliseconds of the probe rate. */
    private static final long MAX_PADDING_BURST_MICROS = 20_000;
    /** A probe is judged once the acknowledged-rate window has seen only probe traffic. */
    private static final long PROBE_SETTLE_MICROS = AcknowledgedBitrate.WINDOW_MICROS;
    /** A probe succeeded when this share of its target came back acknowledged (libwebrtc: 0.9). */
    private static final double PROBE_SUCCESS_RATIO = 0.9;
    /** A probe stops as soon as the estimate falls this far below where it started. */
    private static final double PROBE_ABORT_RATIO = 0.95;
    /**
     * While a probe runs and up to this long after it, allocation uses at least the estimate
     * from before the probe: a dip the probe's own padding caused (queues it filled, draining)
     * must not cost a layer. LiveKit's stream allocator commits to the pre-probe capacity the
     * same way. The protection ends early if the path shows it really shrank.
     */
    static final long PROBE_GRACE_MICROS = 5_000_000;
    /** The path shrank if less than this share of the media sent comes back acknowledged. */
    private static final double SHRUNK_RATIO = 0.8;

    private final TransportSequenceStamper stamper;
    private final SendSideBandwidthEstimator estimator;
    private final BitrateAllocator allocator;
    private BitrateAllocator.Probe allocatorProbe;
    private BitrateAllocator.Probe probe;
    private double paddingBudgetBytes;
    private long paddingClockMicros = Long.MIN_VALUE;
    private long probeStartMicros;
    private long estimateAtProbeStartBps;
    private long protectedUntilMicros = Long.MIN_VALUE;
    private long probeEndMicros;
    private long lastAllocatedBps;
    private long probesSucceeded;
    private boolean feedbackSeen;

    /**
     * @param transportCcExtensionId the transport-wide-cc extmap id the subscriber accepted, or
     *     0 when it did not negotiate transport-cc (the estimate then follows its REMB)
     * @param firstTransportSequence where the transport-wide counter starts (random is fine)
     */
    public SubscriberCongestionControl(int transportCcExtensionId, int firstTransportSequence) {
        this(transportCcExtensionId, firstTransportSequence, SendSideBandwidthEstimator.Settings.DEFAULT,
                BitrateAllocator.Settings.DEFAULT);
    }

    public SubscriberCongestionControl(int transportCcExtensionId, int firstTransportSequence,
                                       SendSideBandwidthEstimator.Settings estimate,
                                       BitrateAllocator.Settings allocation) {
        this.stamper = transportCcExtensionId > 0
                ? new TransportSequenceStamper(transportCcExtensionId, firstTransportSequence) : null;
        this.estimator = new SendSideBandwidthEstimator(estimate);
        this.allocator = new BitrateAllocator(allocation);
    }

    /**
     * Copies the RTP packet {@code src[off, off+len)} to {@code dst} at {@code dstOff} as it
     * should go out (with the next transport-wide sequence number when negotiated) and returns
     * its length. {@code dst} needs {@code len + TransportSequenceStamper.MAX_GROWTH} bytes.
     * Call {@link #onSent} once the transport accepted it.
     */
    public int prepare(byte[] src, int off, int len, byte[] dst, int dstOff) {
        if (stamper == null) {
            System.arraycopy(src, off, dst, dstOff, len);
            return len;
        }
        return stamper.stamp(src, off, len, dst, dstOff);
    }

    /** The packet {@link #prepare} returned last, {@code length} bytes, left at {@code nowMicros}. */
    public void onSent(int length, long nowMicros) {
        if (stamper != null) {
            estimator.onPacketSent((stamper.nextSequence() - 1) & 0xFFFF, nowMicros, length);
        }
        paddingBudgetBytes -= length;
    }

    /**
     * Feeds one RTCP packet from the subscriber; true if it was congestion feedback
     * (transport-cc or REMB), which the Router then need not look at.
     */
    public boolean onRtcp(RtcpPacket packet, long nowMicros) {
        if (packet instanceof TransportWideCcFeedback || packet instanceof ReceiverEstimatedMaxBitrate) {
            feedbackSeen = true;
        }
        if (packet instanceof TransportWideCcFeedback feedback) {
            estimator.onTransportFeedback(feedback, nowMicros);
            judgeProbe(nowMicros);
            return true;
        }
        if (packet instanceof ReceiverEstimatedMaxBitrate remb) {
            estimator.onRemb(remb.bitrate(), nowMicros);
            return true;
        }
        return false;
    }

    /**
     * Ends a probe early when the subscriber acknowledged (nearly) its whole target: the
     * estimate jumps to the target instead of climbing 8 %/s, and the next allocation can
     * upgrade. Like libwebrtc's ProbeBitrateEstimator, at least 90 % received means the path was
     * not saturated, so the rate sent is what it carries.
     */
    private void judgeProbe(long nowMicros) {
        if (!probing(nowMicros)) {
            return;
        }
        if (estimator.estimateBps() < PROBE_ABORT_RATIO * estimateAtProbeStartBps) {
            probe = null; // the padding is hurting: stop now, the allocator backs off
            probeEndMicros = nowMicros;
            protectedUntilMicros = nowMicros + PROBE_GRACE_MICROS;
            return;
        }
        if (nowMicros - probeStartMicros < PROBE_SETTLE_MICROS) {
            return;
        }
        long acknowledged = estimator.acknowledgedBps();
        if (acknowledged >= PROBE_SUCCESS_RATIO * probe.targetBps()
                && estimator.onProbeResult(probe.targetBps(), nowMicros)) {
            probesSucceeded++;
            probe = null;
            probeEndMicros = nowMicros;
        }
    }

    /**
     * True when there is an estimate to follow: transport-cc was negotiated (feedback will come),
     * or the subscriber sent feedback or REMB anyway. A subscriber with neither has no estimate,
     * and the Router then applies only its receiver constraints.
     */
    public boolean estimating() {
        return stamper != null || feedbackSeen;
    }

    /** Probes that ended early because the subscriber acknowledged their target. */
    public long probesSucceeded() {
        return probesSucceeded;
    }

    /** The current send-side estimate for this subscriber, bits per second. */
    public long estimateBps() {
        return estimator.estimateBps();
    }

    /**
     * Chooses a layer per video consumer from the estimate minus {@code reservedBps} (audio and
     * anything else forwarded regardless), and starts a probe when the allocator asks for one.
     */
    public BitrateAllocator.Allocation allocate(List<BitrateAllocator.Demand> video, long reservedBps, long nowMicros) {
        long estimate = estimator.estimateBps();
        if (protectedUntilMicros != Long.MIN_VALUE && nowMicros < protectedUntilMicros) {
            boolean paddingGone = probe == null && nowMicros - probeEndMicros >= AcknowledgedBitrate.WINDOW_MICROS;
            if (paddingGone && estimator.acknowledgedBps() < SHRUNK_RATIO * lastAllocatedBps) {
                protectedUntilMicros = Long.MIN_VALUE; // not the probe: the media itself does not get through
            } else {
                estimate = Math.max(estimate, estimateAtProbeStartBps);
            }
        }
        BitrateAllocator.Allocation allocation =
                allocator.allocate(Math.max(0, estimate - reservedBps), video, nowMicros);
        lastAllocatedBps = allocation.allocatedBps() + reservedBps;
        BitrateAllocator.Probe next = allocation.probe();
        if (next != null && !next.equals(allocatorProbe)) {
            allocatorProbe = next;
            probe = new BitrateAllocator.Probe(next.targetBps() + reservedBps, next.untilMicros());
            paddingBudgetBytes = 0;
            paddingClockMicros = nowMicros;
            probeStartMicros = nowMicros;
            estimateAtProbeStartBps = estimator.estimateBps();
            protectedUntilMicros = next.untilMicros() + PROBE_GRACE_MICROS;
            probeEndMicros = next.untilMicros();
        } else if (next == null) {
            allocatorProbe = null;
            probe = null;
        }
        return allocation;
    }

    /** Forgets a closed consumer's allocation state. */
    public void removeConsumer(long consumerId) {
        allocator.remove(consumerId);
    }

    /** True while a probe runs: the Router should ask {@link #paddingBytesDue} as it sends. */
    public boolean probing(long nowMicros) {
        return probe != null && nowMicros < probe.untilMicros();
    }

    /**
     * Padding bytes to send now so that media plus padding reach the probe's target rate; 0 when
     * no probe runs. Send them as padding-only packets ({@link #writePadding}) or RTX of recent
     * packets, each through {@link #prepare} and {@link #onSent} like media.
     */
    public int paddingBytesDue(long nowMicros) {
        if (!probing(nowMicros)) {
            return 0;
        }
        double perMicro = probe.targetBps() / 8e6;
        paddingBudgetBytes += perMicro * (nowMicros - paddingClockMicros);
        paddingClockMicros = nowMicros;
        double burst = perMicro * MAX_PADDING_BURST_MICROS;
        paddingBudgetBytes = Math.max(-burst, Math.min(burst + MAX_PADDING_BYTES, paddingBudgetBytes));
        return (int) Math.max(0, paddingBudgetBytes);
    }

    /**
     * Writes a padding-only RTP packet (RFC 3550 §5.1: P bit, no payload, the last byte counts
     * the padding) of {@code paddingBytes} (1..255) padding, as libwebrtc probes on the RTX
     * stream; returns its length. Receivers drop it after reading its transport sequence number.
     */
    public static int writePadding(byte[] dst, int off, int payloadType, int sequence, long timestamp, long ssrc,
                                   int paddingBytes) {
        if (paddingBytes < 1 || paddingBytes > MAX_PADDING_BYTES) {
            throw new IllegalArgumentException("padding must be 1..255 bytes");
        }
        dst[off] = (byte) 0xA0; // V=2, P=1
        dst[off + 1] = (byte) (payloadType & 0x7F);
        dst[off + 2] = (byte) (sequence >>> 8);
        dst[off + 3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            dst[off + 4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            dst[off + 8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        int end = off + 12 + paddingBytes;
        for (int p = off + 12; p < end - 1; p++) {
            dst[p] = 0;
        }
        dst[end - 1] = (byte) paddingBytes;
        return 12 + paddingBytes;
    }

    /** The estimator, for metrics and admin stats (acknowledged rate, loss, RTT). */
    public SendSideBandwidthEstimator estimator() {
        return estimator;
    }
}
