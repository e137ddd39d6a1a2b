package dev.parley.sfu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dominant speaker identification from RFC 6464 audio levels, after Volfin and Cohen's
 * "Dominant Speaker Identification for Multipoint Videoconferencing" as Jitsi Videobridge and
 * mediasoup's ActiveSpeakerObserver use it: speech activity is scored on three time scales
 * (immediate, medium, long), and a challenger replaces the dominant speaker only when it beats
 * it on all three. A cough or a door slam fills the immediate window but not the medium and
 * long ones, so it never takes the floor; a real turn of speech does within about a second.
 *
 * <p>Time is cut into {@link #BUCKET_NANOS} buckets; a bucket is "active" for a speaker when
 * most of its audio packets are louder than {@link #ACTIVE_DBOV}. Confined to the media loop.
 */
final class DominantSpeaker {
    static final long BUCKET_NANOS = 200_000_000L;
    /** Level (-dBov, RFC 6464 §3: 0 loudest, 127 silence) at or below which a packet counts as speech. */
    static final int ACTIVE_DBOV = 60;
    static final int IMMEDIATE_BUCKETS = 2;  // 0.4 s
    static final int MEDIUM_BUCKETS = 5;     // 1 s
    static final int LONG_BUCKETS = 10;      // 2 s
    /** A challenger must have spoken in this share of the medium window: no floor for short noises. */
    static final double MIN_MEDIUM_ACTIVITY = 0.6;

    /** Speech history of one audio producer. */
    private static final class Speaker {
        final String peerId;
        final boolean[] active = new boolean[LONG_BUCKETS]; // ring, newest at head
        int head;
        int loudPackets;
        int packets;

        Speaker(String peerId) {
            this.peerId = peerId;
        }

        void closeBucket() {
            head = (head + 1) % LONG_BUCKETS;
            active[head] = packets > 0 && loudPackets * 2 >= packets;
            loudPackets = 0;
            packets = 0;
        }

        double activity(int buckets) {
            int n = 0;
            for (int i = 0; i < buckets; i++) {
                if (active[(head - i + LONG_BUCKETS) % LONG_BUCKETS]) n++;
            }
            return (double) n / buckets;
        }
    }

    private final Map<Producer, Speaker> speakers = new LinkedHashMap<>();
    private Speaker dominant;
    private long bucketStartNanos = Long.MIN_VALUE;

    /** One audio packet's level in -dBov. Allocation-free once the producer is known. */
    void level(Producer producer, int dbov, long nowNanos) {
        Speaker speaker = speakers.get(producer);
        if (speaker == null) speakers.put(producer, speaker = new Speaker(producer.owner.peerId));
        speaker.packets++;
        if (dbov <= ACTIVE_DBOV) speaker.loudPackets++;
    }

    void remove(Producer producer) {
        Speaker speaker = speakers.remove(producer);
        if (speaker != null && speaker == dominant) dominant = null;
    }

    /** The current dominant speaker's peer id, or null. */
    String dominant() {
        return dominant == null ? null : dominant.peerId;
    }

    /**
     * Closes the buckets that ended by {@code nowNanos} and runs the decision; returns the new
     * dominant speaker's peer id when it changed, else null.
     */
    String decide(long nowNanos) {
        if (bucketStartNanos == Long.MIN_VALUE) bucketStartNanos = nowNanos;
        if (nowNanos - bucketStartNanos < BUCKET_NANOS) return null;
        bucketStartNanos = nowNanos;
        for (Speaker speaker : speakers.values()) speaker.closeBucket();
        Speaker best = dominant;
        for (Speaker challenger : speakers.values()) {
            if (challenger == best) continue;
            if (beats(challenger, best)) best = challenger;
        }
        if (best == dominant) return null;
        dominant = best;
        return best.peerId;
    }

    /** Volfin–Cohen's comparison on three time scales (their C1, C2, C3 thresholds as "strictly more"). */
    private static boolean beats(Speaker challenger, Speaker dominant) {
        double medium = challenger.activity(MEDIUM_BUCKETS);
        if (medium < MIN_MEDIUM_ACTIVITY) return false;
        if (dominant == null) return true;
        return challenger.activity(IMMEDIATE_BUCKETS) > dominant.activity(IMMEDIATE_BUCKETS)
                && medium > dominant.activity(MEDIUM_BUCKETS)
                && challenger.activity(LONG_BUCKETS) > dominant.activity(LONG_BUCKETS);
    }
}
