package dev.parley.sfu;

import dev.parley.codec.rtp.SequenceUnwrapper;
import java.nio.charset.StandardCharsets;

/**
 * One RTP stream a producer receives: the whole track, or one simulcast layer of it (RFC 8853),
 * named by its rid (RFC 8851) and carried on its own SSRC with its own RTX SSRC, retransmission
 * cache, receive statistics and key frame throttle. Lives on the media loop.
 */
final class ProducerStream {
    private static final long KEY_FRAME_INTERVAL_NANOS = 500_000_000L;
    /** A layer that sent nothing for this long is treated as stopped by the publisher's encoder. */
    static final long ACTIVE_WINDOW_NANOS = 1_500_000_000L;

    final Producer producer;
    /** Position in the offer's a=simulcast list (0 for a track without simulcast). */
    final int index;
    /** The rid, or null for a track without simulcast. */
    final String rid;
    /** The rid as the bytes of the rtp-stream-id extension (RFC 8852 §3), to match packets without decoding. */
    final byte[] ridBytes;
    long ssrc;
    long rtxSsrc;
    final RetransmissionCache cache;

    /** Frame height seen in this layer's last key frame, or -1 (VP8 key frames carry it, RFC 6386 §9.1). */
    int height = -1;
    int width = -1;
    long lastPacketNanos = Long.MIN_VALUE / 2;
    /** Payload bytes in the current rate window and the rate of the last one (bits/s). */
    long windowBytes;
    long bitrate;

    private long lastKeyFrameRequestNanos = Long.MIN_VALUE / 2;
    private boolean keyFrameWanted;

    // receive statistics for receiver reports (RFC 3550 §6.4.1, A.3)
    final SequenceUnwrapper sequences = new SequenceUnwrapper();
    long firstExtendedSeq = -1;
    long packetsReceived;
    long expectedPrior;
    long receivedPrior;
    long lastSrCompactNtp;
    long lastSrArrivalNanos;

    ProducerStream(Producer producer, int index, String rid, long ssrc, long rtxSsrc) {
        this.producer = producer;
        this.index = index;
        this.rid = rid;
        this.ridBytes = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.cache = producer.kind == MediaKind.VIDEO ? new RetransmissionCache(1024) : null;
    }

    /** Records an arriving packet for loss statistics, activity and rate. */
    void received(int seq, int payloadBytes, long nowNanos) {
        long extended = sequences.unwrap(seq);
        if (firstExtendedSeq < 0) firstExtendedSeq = extended;
        packetsReceived++;
        lastPacketNanos = nowNanos;
        windowBytes += payloadBytes;
    }

    boolean active(long nowNanos) {
        return nowNanos - lastPacketNanos < ACTIVE_WINDOW_NANOS;
    }

    /** Closes a rate window of {@code windowNanos}. */
    void closeRateWindow(long windowNanos) {
        bitrate = windowBytes * 8L * 1_000_000_000L / Math.max(1, windowNanos);
        windowBytes = 0;
    }

    /**
     * Asks the publisher for a key frame on this stream, at most once per 500 ms (a burst of
     * subscriber PLIs must not make the publisher send a burst of key frames). A throttled
     * request is kept and sent when the interval has passed.
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

    @Override
    public String toString() {
        return producer.id + (rid == null ? "" : "/" + rid);
    }
}
