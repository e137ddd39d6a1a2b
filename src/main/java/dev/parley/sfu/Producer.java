package dev.parley.sfu;

import dev.parley.codec.rtp.SequenceUnwrapper;
import java.util.ArrayList;
import java.util.List;

/**
 * One published track (one m-line of a publisher's offer): its SSRCs, codec, retransmission
 * cache and the consumers that forward it. Lives on the media loop.
 */
final class Producer {
    private static final long KEY_FRAME_INTERVAL_NANOS = 500_000_000L;

    final String id;
    final Participant owner;
    final String mid;
    final MediaKind kind;
    final CodecChoice codec;
    /** The publisher's id for the MID header extension, or 0: finds SSRCs the offer did not list. */
    final int midExtensionId;
    long ssrc;
    long rtxSsrc;
    final RetransmissionCache cache;
    final List<Consumer> consumers = new ArrayList<>();
    private long lastKeyFrameRequestNanos = Long.MIN_VALUE / 2;
    private boolean keyFrameWanted;
    boolean closed;

    // receive statistics for receiver reports (RFC 3550 §6.4.1, A.3)
    final SequenceUnwrapper sequences = new SequenceUnwrapper();
    long firstExtendedSeq = -1;
    long packetsReceived;
    long expectedPrior;
    long receivedPrior;
    long lastSrCompactNtp;
    long lastSrArrivalNanos;

    Producer(String id, Participant owner, String mid, MediaKind kind, CodecChoice codec, long ssrc, long rtxSsrc,
            int midExtensionId) {
        this.midExtensionId = midExtensionId;
        this.id = id;
        this.owner = owner;
        this.mid = mid;
        this.kind = kind;
        this.codec = codec;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.cache = kind == MediaKind.VIDEO ? new RetransmissionCache(1024) : null;
    }

    /** Records an arriving sequence number for loss statistics. */
    void received(int seq) {
        long extended = sequences.unwrap(seq);
        if (firstExtendedSeq < 0) firstExtendedSeq = extended;
        packetsReceived++;
    }

    /**
     * Asks the publisher for a key frame, at most once per 500 ms (a burst of subscriber PLIs
     * must not make the publisher send a burst of key frames). A throttled request is kept and
     * sent when the interval has passed.
     *
     * @return true if a PLI should be sent now
     */
    boolean wantKeyFrame(long nowNanos) {
        if (nowNanos - lastKeyFrameRequestNanos >= KEY_FRAME_INTERVAL_NANOS) {
            lastKeyFrameRequestNanos = nowNanos;
            keyFrameWanted = false;
            return true;
        }
        keyFrameWanted = true;
        return false;
    }

    /** A throttled request whose interval has now passed. */
    boolean deferredKeyFrameDue(long nowNanos) {
        return keyFrameWanted && nowNanos - lastKeyFrameRequestNanos >= KEY_FRAME_INTERVAL_NANOS;
    }
}
