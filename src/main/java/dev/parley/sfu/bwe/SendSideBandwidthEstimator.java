package dev.parley.sfu.bwe;

import dev.parley.codec.rtcp.TransportWideCcFeedback;
import dev.parley.codec.rtp.SequenceNumbers;

/**
 * Send-side bandwidth estimate for one subscriber transport, in the spirit of Google Congestion
 * Control (draft-ietf-rmcat-gcc-02) as libwebrtc runs it: the SFU remembers when and how big
 * each packet it sent was (by transport-wide sequence number), and every transport-cc feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) tells it when they arrived.
 *
 * <ul>
 *   <li>Delay-based part (§5): {@link InterArrival} groups → {@link TrendlineEstimator} (delay
 *       gradient and over-use detector with adaptive threshold) → {@link AimdRateControl}.
 *   <li>Loss-based part (§6): {@link LossBasedControl}, never above the delay-based estimate.
 *   <li>REMB (draft-alvestrand-rmcat-remb-03): a cap when the subscriber sends it, and the whole
 *       estimate when it did not negotiate transport-cc.
 * </ul>
 *
 * One instance per subscriber transport, on its Router's thread; times are microseconds of one
 * monotonic local clock. No allocation per sent packet; a little per feedback.
 */
public final class SendSideBandwidthEstimator {
    /** Bounds and starting point of the estimate. */
    public record Settings(long initialBps, long minBps, long maxBps) {
        public static final Settings DEFAULT = new Settings(1_000_000, 50_000, 20_000_000);

        public Settings {
            if (minBps <= 0 || minBps > initialBps || initialBps > maxBps) {
                throw new IllegalArgumentException("need 0 < min <= initial <= max");
            }
        }
    }

    /** Sent packets remembered for matching feedback (about 1.6 s at 5000 packets/s). */
    static final int HISTORY = 1 << 13;
    private static final byte UNKNOWN = 0;
    private static final byte SENT = 1;
    private static final byte REPORTED_LOST = 2;
    private static final byte ACKED = 3;
    private static final long HALVE_INTERVAL_MICROS = 200_000;
    private static final long REFERENCE_WRAP = 1 << 24;
    /** Sending with no feedback for this long means the feedback path or the link is gone. */
    static final long FEEDBACK_TIMEOUT_MICROS = 1_000_000;
    private static final double FEEDBACK_TIMEOUT_FACTOR = 0.8;

    private final Settings settings;
    private final long[] sentSequence = new long[HISTORY];
    private final long[] sentMicros = new long[HISTORY];
    private final int[] sentSize = new int[HISTORY];
    private final byte[] sentState = new byte[HISTORY];
    private long highestSent = -1;

    private final InterArrival interArrival = new InterArrival();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final AimdRateControl delayBased;
    private final LossBasedControl lossBased;
    private final AcknowledgedBitrate acknowledged = new AcknowledgedBitrate();
    private long referenceUnwrapped = Long.MIN_VALUE;
    private long lastHalveMicros = Long.MIN_VALUE;
    private long rttMicros = -1;
    private long lastFeedbackMicros = Long.MIN_VALUE;
    private boolean transportCcSeen;
    private long rembBps = -1;
    private long feedbacks;
    private long feedbackPacketsUnknown;
    private long packetsLost;
    private long packetsAcked;

    public SendSideBandwidthEstimator() {
        this(Settings.DEFAULT);
    }

    public SendSideBandwidthEstimator(Settings settings) {
        this.settings = settings;
        this.delayBased = new AimdRateControl(settings.initialBps(), settings.minBps(), settings.maxBps());
        this.lossBased = new LossBasedControl(settings.initialBps());
    }

    /**
     * A packet left for the subscriber carrying transport-wide sequence number
     * {@code transportSequence} (from {@link TransportSequenceStamper}); {@code sizeBytes} is its
     * RTP size (padding probes included: they are what lets the estimate grow).
     */
    public void onPacketSent(int transportSequence, long sendMicros, int sizeBytes) {
        long ext = highestSent < 0 ? transportSequence & 0xFFFF
                : highestSent + SequenceNumbers.diff(transportSequence, (int) (highestSent & 0xFFFF));
        if (ext < 0 || ext <= highestSent - HISTORY) {
            return;
        }
        highestSent = Math.max(highestSent, ext);
        if (transportCcSeen && sendMicros - lastFeedbackMicros > FEEDBACK_TIMEOUT_MICROS) {
            // libwebrtc's feedback timeout: back off while blind, once per timeout.
            lossBased.bound(settings.minBps(), (long) (lossBased.estimateBps() * FEEDBACK_TIMEOUT_FACTOR));
            lastFeedbackMicros = sendMicros;
        }
        int slot = slot(ext);
        sentSequence[slot] = ext;
        sentMicros[slot] = sendMicros;
        sentSize[slot] = sizeBytes;
        sentState[slot] = SENT;
    }

    /** Transport-cc feedback from the subscriber (RTPFB FMT 15), received at {@code nowMicros}. */
    public void onTransportFeedback(TransportWideCcFeedback feedback, long nowMicros) {
        if (highestSent < 0) {
            return;
        }
        feedbacks++;
        int[] statuses = feedback.statuses();
        long[] arrivals = feedback.arrivalMicros();
        long arrivalOffset = unwrapReference(feedback.referenceTime());
        long base = highestSent + SequenceNumbers.diff(feedback.baseSequence(), (int) (highestSent & 0xFFFF));
        long[] send = new long[statuses.length];
        long[] arrival = new long[statuses.length];
        int[] size = new int[statuses.length];
        int received = 0;
        int lost = 0;
        long newestSend = Long.MIN_VALUE;
        for (int i = 0; i < statuses.length; i++) {
            long ext = base + i;
            int slot = slot(ext);
            if (ext < 0 || ext > highestSent || ext <= highestSent - HISTORY || sentSequence[slot] != ext
                    || sentState[slot] == UNKNOWN) {
                feedbackPacketsUnknown++;
                continue;
            }
            if (statuses[i] == TransportWideCcFeedback.NOT_RECEIVED) {
                if (sentState[slot] == SENT) {
                    sentState[slot] = REPORTED_LOST;
                    lost++;
                }
                continue;
            }
            if (sentState[slot] == ACKED) {
                continue; // a late packet made the receiver report this range again
            }
            if (sentState[slot] == REPORTED_LOST) {
                lost--; // it arrived after all
                packetsLost--;
            }
            sentState[slot] = ACKED;
            received++;
            send[received - 1] = sentMicros[slot];
            arrival[received - 1] = arrivals[i] + arrivalOffset;
            size[received - 1] = sentSize[slot];
            newestSend = Math.max(newestSend, sentMicros[slot]);
        }
        packetsLost += lost;
        packetsAcked += received;
        if (received == 0 && lost <= 0) {
            return;
        }
        transportCcSeen = true;
        lastFeedbackMicros = nowMicros;
        if (newestSend != Long.MIN_VALUE) {
            long sample = Math.max(0, nowMicros - newestSend);
            rttMicros = rttMicros < 0 ? sample : (7 * rttMicros + sample) / 8;
            delayBased.setRtt(rttMicros);
        }
        sortByArrival(send, arrival, size, received);
        for (int i = 0; i < received; i++) {
            acknowledged.add(arrival[i], size[i]);
            if (interArrival.add(send[i], arrival[i], nowMicros)) {
                trendline.update(interArrival.arrivalDeltaMicros / 1000.0, interArrival.sendDeltaMicros / 1000.0,
                        arrival[i] / 1000.0);
            }
        }
        updateDelayBased(nowMicros);
        lossBased.onPackets(Math.max(0, lost), received, rttOrDefault(), nowMicros);
        lossBased.bound(settings.minBps(), delayBased.estimateBps());
    }

    /** draft-ietf-rmcat-gcc-02 §5.5 driven as libwebrtc's DelayBasedBwe::MaybeUpdateEstimate. */
    private void updateDelayBased(long nowMicros) {
        BandwidthUsage usage = trendline.state();
        long throughput = acknowledged.bitrateBps();
        if (usage == BandwidthUsage.OVERUSING) {
            if (throughput > 0) {
                if (delayBased.timeToReduceFurther(nowMicros, throughput)) {
                    delayBased.update(usage, throughput, nowMicros);
                }
            } else if (lastHalveMicros == Long.MIN_VALUE || nowMicros - lastHalveMicros >= HALVE_INTERVAL_MICROS) {
                delayBased.halve(nowMicros); // over-use before any throughput is known
                lastHalveMicros = nowMicros;
            }
        } else {
            delayBased.update(usage, throughput, nowMicros);
        }
    }

    /**
     * The feedback's reference time (§3.1, 64 ms units, 24 bits) unwrapped against the previous
     * feedback, so arrival times of consecutive feedbacks stay on one axis; returns the offset
     * to add to {@link TransportWideCcFeedback#arrivalMicros()}.
     */
    private long unwrapReference(int referenceTime) {
        if (referenceUnwrapped == Long.MIN_VALUE) {
            referenceUnwrapped = referenceTime;
        } else {
            long delta = (referenceTime - referenceUnwrapped) & (REFERENCE_WRAP - 1);
            if (delta >= REFERENCE_WRAP / 2) {
                delta -= REFERENCE_WRAP;
            }
            referenceUnwrapped += delta;
        }
        return (referenceUnwrapped - referenceTime) * TransportWideCcFeedback.REFERENCE_TIME_MICROS;
    }

    /** Insertion sort: feedback is nearly in arrival order already. */
    private static void sortByArrival(long[] send, long[] arrival, int[] size, int n) {
        for (int i = 1; i < n; i++) {
            long a = arrival[i];
            long s = send[i];
            int z = size[i];
            int j = i - 1;
            while (j >= 0 && arrival[j] > a) {
                arrival[j + 1] = arrival[j];
                send[j + 1] = send[j];
                size[j + 1] = size[j];
                j--;
            }
            arrival[j + 1] = a;
            send[j + 1] = s;
            size[j + 1] = z;
        }
    }

    /**
     * The result of a probe: the subscriber acknowledged {@code bps} while the SFU padded up to
     * it. Raises the estimate at once, as libwebrtc does with a probe cluster's measured rate,
     * unless the detector sees over-use or rising delay, or loss is high: then the probe ran at
     * the path's limit, and raising would only overshoot.
     * Returns whether it was applied.
     */
    boolean onProbeResult(long bps, long nowMicros) {
        if (trendline.state() == BandwidthUsage.OVERUSING || trendline.delayRising()
                || lossBased.lastLossFraction() > LossBasedControl.LOW_LOSS) {
            return false;
        }
        delayBased.raiseTo(bps, nowMicros);
        lossBased.raiseTo(bps);
        lossBased.bound(settings.minBps(), delayBased.estimateBps());
        return true;
    }

    /** REMB from the subscriber (draft-alvestrand-rmcat-remb-03 §2.2), received at {@code nowMicros}. */
    public void onRemb(long bitrateBps, long nowMicros) {
        rembBps = Math.max(0, bitrateBps);
    }

    /**
     * The estimate in bits per second: min(loss-based, delay-based, REMB) with transport-cc;
     * REMB alone without it; the initial value before either arrived.
     */
    public long estimateBps() {
        long estimate;
        if (transportCcSeen) {
            estimate = lossBased.estimateBps();
            if (rembBps >= 0) {
                estimate = Math.min(estimate, rembBps);
            }
        } else {
            estimate = rembBps >= 0 ? rembBps : settings.initialBps();
        }
        return Math.max(settings.minBps(), Math.min(settings.maxBps(), estimate));
    }

    public long delayBasedBps() {
        return delayBased.estimateBps();
    }

    public long lossBasedBps() {
        return lossBased.estimateBps();
    }

    /** Throughput the subscriber acknowledged over the last 0.5 s of its receive clock. */
    public long acknowledgedBps() {
        return acknowledged.bitrateBps();
    }

    /** Loss fraction of the last loss-based update (0..1). */
    public double lossFraction() {
        return lossBased.lastLossFraction();
    }

    /** Smoothed time from sending the newest acknowledged packet to its feedback, or -1. */
    public long rttMicros() {
        return rttMicros;
    }

    public boolean usesTransportCc() {
        return transportCcSeen;
    }

    public long feedbacksReceived() {
        return feedbacks;
    }

    /** Feedback entries for sequence numbers this sender does not remember (too old or never sent). */
    public long feedbackPacketsUnknown() {
        return feedbackPacketsUnknown;
    }

    public long packetsLost() {
        return packetsLost;
    }

    public long packetsAcknowledged() {
        return packetsAcked;
    }

    private long rttOrDefault() {
        return rttMicros < 0 ? 200_000 : rttMicros;
    }

    private static int slot(long extendedSequence) {
        return (int) (extendedSequence & (HISTORY - 1));
    }
}
