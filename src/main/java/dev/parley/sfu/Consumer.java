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
 *
 * <p>Within the layer it forwards, VP8 frames whose temporal layer (TID, RFC 7741 §4.2) is above
 * {@link #targetTemporal} are dropped whole. The output stays gap-free: after dropped frames the
 * next forwarded frame continues the sequence numbers from the last one sent, and PictureID
 * steps by one per forwarded frame. Going down a temporal layer happens at the next frame;
 * going up only at a frame that is safe to decode from there: a TL0 frame, or a frame with the
 * layer sync bit Y=1 (it depends on TL0 frames only, RFC 7741 §4.2), which raises the forwarded
 * layer to that frame's TID. Packets are assumed to arrive about in order: a packet older than
 * the last re-numbering point is dropped (the receiver's NACK recovers it if it was forwarded).
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
    /** Every temporal layer (VP8 TID is 0..3). */
    static final int ALL_TEMPORAL = 3;
    /** The highest VP8 temporal layer (TID) the allocator wants forwarded. */
    int targetTemporal = ALL_TEMPORAL;
    /** The highest TID being forwarded now. */
    int currentTemporal = ALL_TEMPORAL;
    /** Input timestamp of the newest frame seen in the current layer, and whether it is forwarded. */
    private long frameTimestamp;
    private boolean frameForwarded;
    /** A frame was dropped since the last forwarded packet: the next forwarded frame re-bases the numbering. */
    private boolean droppedSinceSent;
    /**
     * For NACKs: output sequence number, input sequence number and the PictureID offset then in
     * force (dropped frames change it), packed, for the current layer's recent packets.
     */
    private final long[] outputToInput = new long[512];
    /** Temporal up-switches done (for tests). */
    long temporalUpSwitches;
    /** Output = input + offset, for the current layer. */
    private int sequenceOffset;
    private long timestampOffset;
    private int pictureIdOffset;
    private int tl0PicIdxOffset;
    /** First input sequence number of the current layer: older ones belong to the frames before the switch. */
    private int switchSequence;
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
        java.util.Arrays.fill(outputToInput, -1);
    }

    /**
     * Decides for one packet of layer {@code layer}: true if it is forwarded (then call
     * {@link #outputSequence} etc.), false if dropped. Switches to the target layer when
     * {@code keyFrame} starts a key frame there. {@code tid} is the VP8 temporal layer (-1 when
     * the stream carries none) and {@code layerSync} its Y bit.
     */
    boolean accept(int layer, int sequence, long timestamp, boolean keyFrame, int pictureId, int tl0PicIdx, long nowNanos) {
        return accept(layer, sequence, timestamp, keyFrame, pictureId, tl0PicIdx, -1, false, nowNanos);
    }

    boolean accept(int layer, int sequence, long timestamp, boolean keyFrame, int pictureId, int tl0PicIdx,
            int tid, boolean layerSync, long nowNanos) {
        if (layer == currentLayer) {
            // keep going (also while waiting for the target's key frame), but not with packets
            // older than the switch: those belong to the previous layer's numbering
            if (!afterSwitch(sequence)) return false;
            return tid < 0 || temporal(sequence, timestamp, pictureId, tid, layerSync);
        }
        if (layer != targetLayer || !keyFrame) return false;
        // A key frame of the target layer: continue the output from where it stands.
        rebase(sequence);
        long step = started ? Math.max(1, Math.min(MAX_TIMESTAMP_STEP,
                (nowNanos - lastOutputNanos) * producer.kind.clockRate / 1_000_000_000L)) : 0;
        timestampOffset = (lastOutputTimestamp + step - timestamp) & 0xFFFFFFFFL;
        pictureIdOffset = pictureId < 0 || lastOutputPictureId < 0 ? 0 : (lastOutputPictureId + 1 - pictureId) & 0x7FFF;
        tl0PicIdxOffset = tl0PicIdx < 0 || lastOutputTl0PicIdx < 0 ? 0 : (lastOutputTl0PicIdx + 1 - tl0PicIdx) & 0xFF;
        java.util.Arrays.fill(outputToInput, -1);
        if (started && currentLayer != layer) layerSwitches++;
        currentLayer = layer;
        started = true;
        // A key frame is a TL0 frame: every temporal layer may start here.
        currentTemporal = targetTemporal;
        frameTimestamp = timestamp;
        frameForwarded = true;
        remember(sequence);
        return true;
    }

    /** Output continues right after the last sequence number sent, from input {@code sequence} on. */
    private void rebase(int sequence) {
        int nextSequence = (lastOutputSequence + 1) & 0xFFFF;
        sequenceOffset = (nextSequence - sequence) & 0xFFFF;
        switchSequence = sequence;
        droppedSinceSent = false;
    }

    /** Temporal layer filtering within the current layer (RFC 7741 §4.2 TID, Y), per frame. */
    private boolean temporal(int sequence, long timestamp, int pictureId, int tid, boolean layerSync) {
        long age = (timestamp - frameTimestamp) & 0xFFFFFFFFL;
        if (age == 0 || age >= 0x8000_0000L) {
            // The frame being decided, or a late packet of an older one. Those older than the
            // last re-numbering were refused above; the newer ones belong to forwarded frames
            // unless a frame was dropped since (then it may have been that one: drop it too).
            boolean forward = age == 0 ? frameForwarded : !droppedSinceSent;
            if (forward) remember(sequence);
            return forward;
        }
        // The first packet seen of a new frame.
        if (targetTemporal < currentTemporal) {
            currentTemporal = targetTemporal; // down: at once
        } else if (targetTemporal > currentTemporal) {
            if (tid == 0) {
                currentTemporal = targetTemporal;
                temporalUpSwitches++;
            } else if (layerSync && tid <= targetTemporal && tid > currentTemporal) {
                currentTemporal = tid;
                temporalUpSwitches++;
            }
        }
        frameTimestamp = timestamp;
        frameForwarded = tid <= currentTemporal;
        if (!frameForwarded) {
            // The frames after it keep PictureID continuous; no sequence number is used.
            if (pictureId >= 0) pictureIdOffset = (pictureIdOffset - 1) & 0x7FFF;
            droppedSinceSent = true;
            return false;
        }
        if (droppedSinceSent) rebase(sequence);
        remember(sequence);
        return true;
    }

    private void remember(int sequence) {
        int out = (sequence + sequenceOffset) & 0xFFFF;
        outputToInput[out % outputToInput.length] = ((long) pictureIdOffset << 32) | ((long) out << 16) | sequence;
    }

    private boolean afterSwitch(int sequence) {
        int distance = (sequence - switchSequence) & 0xFFFF;
        if (distance >= 0x8000) return false;
        if (distance >= 0x4000) { // slide the reference along so 16-bit wrap-around stays unambiguous
            switchSequence = (switchSequence + 0x2000) & 0xFFFF;
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
     * sent before the last layer switch (from another layer, so not answerable) or too long ago.
     */
    int inputSequence(int outputSequence) {
        if (currentLayer < 0) return -1;
        long entry = outputToInput[outputSequence % outputToInput.length];
        return entry != -1 && ((entry >>> 16) & 0xFFFF) == outputSequence ? (int) (entry & 0xFFFF) : -1;
    }

    /** PictureID of a retransmitted packet, {@code outputSequence} as {@link #inputSequence} found it. */
    int retransmittedPictureId(int outputSequence, int inputPictureId) {
        long entry = outputToInput[outputSequence % outputToInput.length];
        return (inputPictureId + (int) (entry >>> 32)) & 0x7FFF;
    }

    /** The publisher's payload type mapped to what this subscriber negotiated. */
    int outputPayloadType(int inputPayloadType) {
        if (inputPayloadType == producer.codec.pt()) return codec.pt();
        if (inputPayloadType == producer.codec.rtxPt()) return codec.rtxPt();
        return -1;
    }
}
