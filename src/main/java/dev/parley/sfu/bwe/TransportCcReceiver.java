package dev.parley.sfu.bwe;

import dev.parley.codec.rtcp.TransportWideCcFeedback;
import dev.parley.codec.rtp.SequenceUnwrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Receive side of transport-wide congestion control for one publisher transport
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): records the arrival time of every packet
 * by its transport-wide sequence number (§2) and turns them into feedback packets (§3.1) at a
 * regular interval, so the publishing browser's own estimator can ramp its send bitrate.
 *
 * <p>Like libwebrtc's RemoteEstimatorProxy: each feedback covers every sequence number since the
 * previous one (missing ones reported as not received), and a late packet re-opens the range
 * from its number so it is reported as received after all. Ranges are split where a receive
 * delta would not fit two signed bytes (§3.1.5, gaps of ~8 s) and where a packet would exceed
 * {@link #MAX_FEEDBACK_BYTES}. One instance per transport; not thread-safe; no allocation per
 * packet.
 */
public final class TransportCcReceiver {
    /** Default feedback interval (libwebrtc sends every 50..250 ms). */
    public static final long DEFAULT_INTERVAL_MICROS = 50_000;
    /** Largest feedback packet built: leaves room for SRTCP trailer and a compound in one MTU. */
    public static final int MAX_FEEDBACK_BYTES = 1100;
    /** Packets remembered: older ones are too old to report. Power of two. */
    static final int WINDOW = 1 << 12;
    /** A late packet further behind the newest than this is counted, not reported. */
    static final int MAX_LATE_REPORT = 512;
    /** Largest receive delta between consecutive received packets in one feedback, in 250 µs ticks. */
    private static final long MAX_DELTA_TICKS = Short.MAX_VALUE;
    /** Feedback is due early once this many packets wait, so one feedback stays one packet. */
    private static final int EARLY_FEEDBACK_PACKETS = 250;

    private final long senderSsrc;
    private final long intervalMicros;
    /** This many packets in a row too old to report means the sender restarted its counter. */
    static final int RESYNC_AFTER_TOO_LATE = 64;

    private SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    /** Arrival time relative to {@link #epochMicros}, by extended sequence number mod WINDOW; -1 if none. */
    private final long[] arrivals = new long[WINDOW];
    private long mediaSsrc;
    private long epochMicros;
    private boolean started;
    private long highest;
    private long nextToReport;
    private boolean pending;
    private long lastFeedbackMicros = Long.MIN_VALUE;
    private int feedbackPacketCount;
    private long packetsRecorded;
    private long packetsTooLate;
    private int consecutiveTooLate;
    private boolean haveFirst;
    private long resyncs;
    private long duplicates;

    public TransportCcReceiver(long senderSsrc) {
        this(senderSsrc, DEFAULT_INTERVAL_MICROS);
    }

    /** @param senderSsrc the SFU's RTCP sender SSRC on this transport */
    public TransportCcReceiver(long senderSsrc, long intervalMicros) {
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("feedback interval must be positive");
        }
        this.senderSsrc = senderSsrc & 0xFFFFFFFFL;
        this.intervalMicros = intervalMicros;
        Arrays.fill(arrivals, -1);
    }

    /**
     * Records one packet that carried transport-wide sequence number {@code transportSequence}
     * (§2), received at {@code arrivalMicros} on a monotonic clock, on media SSRC
     * {@code mediaSsrc} (named in the feedback's media source field, as libwebrtc does).
     */
    public void onPacket(int transportSequence, long mediaSsrc, long arrivalMicros) {
        if (!started) {
            started = true;
            epochMicros = arrivalMicros;
        }
        this.mediaSsrc = mediaSsrc & 0xFFFFFFFFL;
        long arrival = Math.max(0, arrivalMicros - epochMicros);
        long ext = unwrapper.unwrap(transportSequence);
        if (!haveFirst) {
            haveFirst = true;
            highest = ext;
            nextToReport = ext;
        } else if (ext > highest) {
            // Everything skipped is unknown (not received) until it arrives late.
            for (long s = Math.max(highest + 1, ext - WINDOW + 1); s < ext; s++) {
                arrivals[slot(s)] = -1;
            }
            highest = ext;
            if (nextToReport <= ext - WINDOW) {
                nextToReport = ext - WINDOW + 1; // feedback was not built for a whole window
            }
        } else {
            if (ext <= highest - WINDOW || ext < nextToReport && highest - ext > MAX_LATE_REPORT) {
                packetsTooLate++;
                if (++consecutiveTooLate >= RESYNC_AFTER_TOO_LATE) {
                    resync();
                }
                return;
            }
            if (arrivals[slot(ext)] >= 0) {
                duplicates++;
                return;
            }
            if (ext < nextToReport) {
                nextToReport = ext;
            }
        }
        consecutiveTooLate = 0;
        arrivals[slot(ext)] = arrival;
        packetsRecorded++;
        pending = true;
    }

    /** Starts over from the next packet; what was not reported yet is dropped. */
    private void resync() {
        unwrapper = new SequenceUnwrapper();
        Arrays.fill(arrivals, -1);
        haveFirst = false;
        pending = false;
        consecutiveTooLate = 0;
        resyncs++;
    }

    /** True when {@link #buildFeedback} has something to send and the interval has passed. */
    public boolean feedbackDue(long nowMicros) {
        return pending && (lastFeedbackMicros == Long.MIN_VALUE || nowMicros - lastFeedbackMicros >= intervalMicros
                || highest - nextToReport + 1 >= EARLY_FEEDBACK_PACKETS);
    }

    /**
     * Feedback for every sequence number not yet reported, oldest first; empty when nothing
     * arrived since the last call. The caller sends each as its own RTCP packet (or compound).
     */
    public List<TransportWideCcFeedback> buildFeedback(long nowMicros) {
        lastFeedbackMicros = nowMicros;
        if (!pending) {
            return List.of();
        }
        List<TransportWideCcFeedback> out = new ArrayList<>(1);
        long s = nextToReport;
        while (s <= highest) {
            int count = spanFrom(s);
            TransportWideCcFeedback feedback = feedbackFor(s, count);
            while (feedback.marshalledLength() > MAX_FEEDBACK_BYTES && count > 1) {
                count /= 2;
                feedback = feedbackFor(s, count);
            }
            feedbackPacketCount++;
            out.add(feedback);
            s += count;
        }
        nextToReport = highest + 1;
        pending = false;
        return out;
    }

    /** How many sequence numbers from {@code start} fit one feedback by the delta range (§3.1.5). */
    private int spanFrom(long start) {
        long previousTicks = Long.MIN_VALUE;
        int count = 0;
        for (long s = start; s <= highest && count < 0xFFFF; s++, count++) {
            long t = arrivals[slot(s)];
            if (t < 0) {
                continue;
            }
            long ticks = Math.round(t / (double) TransportWideCcFeedback.DELTA_TICK_MICROS);
            if (previousTicks != Long.MIN_VALUE && Math.abs(ticks - previousTicks) > MAX_DELTA_TICKS) {
                break;
            }
            previousTicks = ticks;
        }
        return count;
    }

    private TransportWideCcFeedback feedbackFor(long start, int count) {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = arrivals[slot(start + i)];
        }
        return TransportWideCcFeedback.fromArrivals(senderSsrc, mediaSsrc, feedbackPacketCount,
                (int) (start & 0xFFFF), times);
    }

    private static int slot(long extendedSequence) {
        return (int) (extendedSequence & (WINDOW - 1));
    }

    /** Arrival clock origin: feedback times are {@code arrivalMicros - epochMicros()}. */
    public long epochMicros() {
        return epochMicros;
    }

    public long packetsRecorded() {
        return packetsRecorded;
    }

    /** Packets dropped because they arrived too late to be reported (or before the window). */
    public long packetsTooLate() {
        return packetsTooLate;
    }

    /** Times the sender's counter jumped back so far that the receiver started over. */
    public long resyncs() {
        return resyncs;
    }

    public long duplicates() {
        return duplicates;
    }
}
