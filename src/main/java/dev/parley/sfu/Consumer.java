package dev.parley.sfu;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One subscriber's view of one producer: its own SSRCs, payload types, sequence numbers,
 * timestamps and VP8 picture ids on the subscriber's transport, and the m-line (mid) it
 * occupies there.
 *
 * <p>It forwards one of the producer's streams at a time (a simulcast layer). The allocator sets
 * {@link #targetLayer}; the consumer moves to it only at a key frame of the target layer, and
 * then continues the subscriber's sequence numbers, timestamps, PictureID and TL0PICIDX from
 * where the previous layer left off, so the receiver sees one continuous stream (RFC 7741 §4.2
 * for the VP8 fields; the same rewriting mediasoup's SimulcastConsumer does). A target of -1
 * pauses the consumer: nothing is sent, and resuming waits for a key frame again.
 */
final class Consumer {
    private static final long MAX_TIMESTAMP_STEP = 90_000L * 5;

    final Producer producer;
    final Participant subscriber;
    final String mid;
    final CodecChoice codec;
    final long ssrc;
    final long rtxSsrc;
    int rtxSequence;
    boolean closed;

    /** The layer the allocator wants (index into {@code producer.streams}), or -1 for paused. */
    int targetLayer;
    /** The layer being forwarded, or -1 while none is (paused, or waiting for a key frame). */
    int currentLayer = -1;
    /** Output = input + offset, for the current layer. */
    private int sequenceOffset;
    private long timestampOffset;
    private int pictureIdOffset;
    private int tl0PicIdxOffset;
    /** First input sequence number of the current layer: older ones belong to the frames before the switch. */
    private int switchSequence;
    /** First output sequence number after the switch: NACKs for older ones cannot be mapped back. */
    private int switchOutputSequence;
    private boolean started;
    private int lastOutputSequence;
    private long lastOutputTimestamp;
    private int lastOutputPictureId = -1;
    private int lastOutputTl0PicIdx = -1;
    private long lastOutputNanos;
    /** Layer switches done (for tests and metrics). */
    long layerSwitches;

    // sender statistics for sender reports (RFC 3550 §6.4.1)
    long packetsSent;
    long octetsSent;
    long lastRtpTimestamp;
    long lastSendNanos;

    Consumer(Producer producer, Participant subscriber, String mid, CodecChoice codec, long ssrc, long rtxSsrc) {
        this.producer = producer;
        this.subscriber = subscriber;
        this.mid = mid;
        this.codec = codec;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // RFC 3550 §5.1: random initial sequence number and timestamp.
        this.lastOutputSequence = random.nextInt(1 << 16);
        this.lastOutputTimestamp = random.nextLong(1L << 32);
        this.rtxSequence = random.nextInt(1 << 16);
        this.targetLayer = producer.streams.length - 1;
    }

    /**
     * Decides for one packet of layer {@code layer}: true if it is forwarded (then call
     * {@link #outputSequence} etc.), false if dropped. Switches to the target layer when
     * {@code keyFrame} starts a key frame there.
     */
    boolean accept(int layer, int sequence, long timestamp, boolean keyFrame, int pictureId, int tl0PicIdx, long nowNanos) {
        if (layer == currentLayer) {
            // keep going (also while waiting for the target's key frame), but not with packets
            // older than the switch: those belong to the previous layer's numbering
            return afterSwitch(sequence);
        }
        if (layer != targetLayer || !keyFrame) return false;
        // A key frame of the target layer: continue the output from where it stands.
        int nextSequence = (lastOutputSequence + 1) & 0xFFFF;
        sequenceOffset = (nextSequence - sequence) & 0xFFFF;
        long step = started ? Math.max(1, Math.min(MAX_TIMESTAMP_STEP,
                (nowNanos - lastOutputNanos) * producer.kind.clockRate / 1_000_000_000L)) : 0;
        timestampOffset = (lastOutputTimestamp + step - timestamp) & 0xFFFFFFFFL;
        pictureIdOffset = pictureId < 0 || lastOutputPictureId < 0 ? 0 : (lastOutputPictureId + 1 - pictureId) & 0x7FFF;
        tl0PicIdxOffset = tl0PicIdx < 0 || lastOutputTl0PicIdx < 0 ? 0 : (lastOutputTl0PicIdx + 1 - tl0PicIdx) & 0xFF;
        switchSequence = sequence;
        switchOutputSequence = nextSequence;
        if (started && currentLayer != layer) layerSwitches++;
        currentLayer = layer;
        started = true;
        return true;
    }

    private boolean afterSwitch(int sequence) {
        int distance = (sequence - switchSequence) & 0xFFFF;
        if (distance >= 0x8000) return false;
        if (distance >= 0x4000) { // slide the reference along so 16-bit wrap-around stays unambiguous
            switchSequence = (switchSequence + 0x2000) & 0xFFFF;
            switchOutputSequence = (switchOutputSequence + 0x2000) & 0xFFFF;
        }
        return true;
    }

    /** Stops forwarding until the target layer's next key frame (pause, or the target's stream went away). */
    void stopForwarding() {
        currentLayer = -1;
    }

    int outputSequence(int inputSequence) {
        return (inputSequence + sequenceOffset) & 0xFFFF;
    }

    long outputTimestamp(long inputTimestamp) {
        return (inputTimestamp + timestampOffset) & 0xFFFFFFFFL;
    }

    int outputPictureId(int inputPictureId) {
        return (inputPictureId + pictureIdOffset) & 0x7FFF;
    }

    int outputTl0PicIdx(int inputTl0PicIdx) {
        return (inputTl0PicIdx + tl0PicIdxOffset) & 0xFF;
    }

    /** Remembers where the output stands after sending a packet, for the next switch. */
    void sent(int outputSequence, long outputTimestamp, int outputPictureId, int outputTl0PicIdx, long nowNanos) {
        if (((outputSequence - lastOutputSequence) & 0xFFFF) < 0x8000) {
            lastOutputSequence = outputSequence;
            lastOutputTimestamp = outputTimestamp;
            lastOutputNanos = nowNanos;
            if (outputPictureId >= 0) lastOutputPictureId = outputPictureId;
            if (outputTl0PicIdx >= 0) lastOutputTl0PicIdx = outputTl0PicIdx;
        }
    }

    /**
     * The input sequence number of the current layer behind an output one, or -1 when it was
     * sent before the last switch (from another layer, so not answerable).
     */
    int inputSequence(int outputSequence) {
        if (currentLayer < 0 || ((outputSequence - switchOutputSequence) & 0x8000) != 0) return -1;
        return (outputSequence - sequenceOffset) & 0xFFFF;
    }

    /** The publisher's payload type mapped to what this subscriber negotiated. */
    int outputPayloadType(int inputPayloadType) {
        if (inputPayloadType == producer.codec.pt()) return codec.pt();
        if (inputPayloadType == producer.codec.rtxPt()) return codec.rtxPt();
        return -1;
    }
}
