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
    /**
     * The rate smoothed over about four windows: what the allocator counts a layer as costing.
     * One window holding a key frame can double a layer's rate; counted raw, that would move
     * subscribers down and (with the new layer's key frame) up again.
     */
    long smoothedBitrate;
    /**
     * Payload bytes per VP8 temporal layer (TID 0..3, RFC 7741 §4.2) in the current window, and
     * each layer's rate smoothed like {@link #smoothedBitrate}. {@link #temporalLayers} is how
     * many TIDs the last window carried (0 when the stream has no temporal layers).
     */
    private final long[] temporalWindowBytes = new long[4];
    private final long[] temporalBitrate = new long[4];
    private final long[] smoothedTemporalBitrate = new long[4];
    private int windowTemporalLayers;
    int temporalLayers;

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

    /** Records an arriving packet for loss statistics, activity and rate; {@code tid} is -1 without one. */
    void received(int seq, int payloadBytes, int tid, long nowNanos) {
        if (tid >= 0) {
            temporalWindowBytes[tid] += payloadBytes;
            windowTemporalLayers = Math.max(windowTemporalLayers, tid + 1);
        }
        received(seq, payloadBytes, nowNanos);
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

    /**
     * Closes a rate window of {@code windowNanos}. The layer's cost rises at once and falls by
     * at most an eighth a second: an encoder that skips a few frames under CPU load must not make
     * its top layer look cheap enough to switch a narrow subscriber up and straight back down.
     */
    void closeRateWindow(long windowNanos) {
        bitrate = slowFall(windowBytes, bitrate, windowNanos);
        windowBytes = 0;
        smoothedBitrate = smooth(smoothedBitrate, bitrate);
        for (int t = 0; t < 4; t++) {
            temporalBitrate[t] = t < windowTemporalLayers ? slowFall(temporalWindowBytes[t], temporalBitrate[t], windowNanos) : 0;
            smoothedTemporalBitrate[t] = t < windowTemporalLayers ? smooth(smoothedTemporalBitrate[t], temporalBitrate[t]) : 0;
            temporalWindowBytes[t] = 0;
        }
        temporalLayers = windowTemporalLayers;
        windowTemporalLayers = 0;
    }

    private static long slowFall(long bytes, long previous, long windowNanos) {
        long measured = bytes * 8L * 1_000_000_000L / Math.max(1, windowNanos);
        return Math.max(measured, previous - previous / 8);
    }

    private static long smooth(long smoothed, long latest) {
        return smoothed == 0 ? latest : (3 * smoothed + latest) / 4;
    }

    /**
     * What forwarding TIDs up to {@code maxTid} costs: the layer's smoothed rate scaled by those
     * TIDs' share of it, or -1 when the per-TID rates are not known (no temporal layers).
     */
    long bitrateUpTo(int maxTid) {
        long all = 0;
        long upTo = 0;
        for (int t = 0; t < temporalLayers; t++) {
            all += smoothedTemporalBitrate[t];
            if (t <= maxTid) upTo += smoothedTemporalBitrate[t];
        }
        return temporalLayers < 2 || all == 0 ? -1 : smoothedBitrate * upTo / all;
    }

    /** Test hook: sets the smoothed per-TID rates as if measured. */
    void setTemporalBitrates(long... bps) {
        temporalLayers = bps.length;
        for (int t = 0; t < 4; t++) smoothedTemporalBitrate[t] = t < bps.length ? bps[t] : 0;
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
