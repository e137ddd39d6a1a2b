package dev.parley.sfu;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One subscriber's view of one producer: its own SSRCs, payload types and sequence numbering on
 * the subscriber's transport, and the m-line (mid) it occupies there.
 */
final class Consumer {
    final Producer producer;
    final Participant subscriber;
    final String mid;
    final CodecChoice codec;
    final long ssrc;
    final long rtxSsrc;
    /** Output sequence number = input + offset (mod 2^16): random start, RFC 3550 §5.1. */
    final int sequenceOffset;
    int rtxSequence;
    boolean closed;

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
        this.sequenceOffset = ThreadLocalRandom.current().nextInt(1 << 16);
        this.rtxSequence = ThreadLocalRandom.current().nextInt(1 << 16);
    }

    int outputSequence(int inputSequence) {
        return (inputSequence + sequenceOffset) & 0xFFFF;
    }

    int inputSequence(int outputSequence) {
        return (outputSequence - sequenceOffset) & 0xFFFF;
    }

    /** The publisher's payload type mapped to what this subscriber negotiated. */
    int outputPayloadType(int inputPayloadType) {
        if (inputPayloadType == producer.codec.pt()) return codec.pt();
        if (inputPayloadType == producer.codec.rtxPt()) return codec.rtxPt();
        return -1;
    }
}
