package dev.parley.sfu.bwe;

import dev.parley.codec.rtp.RtpExtensionAppender;
import dev.parley.codec.rtp.RtpPacketView;
import dev.parley.codec.rtp.RtpParseException;

/**
 * Gives every packet sent on one subscriber transport the next transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: one counter per transport, across all
 * its SSRCs) in the header extension id negotiated on that transport (RFC 8285 §4.2 one-byte
 * form when the packet allows it). One instance per subscriber transport; not thread-safe; no
 * allocation per packet.
 */
public final class TransportSequenceStamper {
    /**
     * Bytes stamping adds to a packet with no extension block, or with a one-byte-form block and
     * an id of 1..14: block header (4) + element (3) + padding (1).
     */
    public static final int MAX_GROWTH = 8;

    private final int extensionId;
    private final RtpPacketView source = new RtpPacketView();
    private final RtpPacketView stamped = new RtpPacketView();
    private int next;

    /** @param extensionId the transport-wide-cc extmap id the subscriber's answer kept */
    public TransportSequenceStamper(int extensionId, int firstSequence) {
        if (extensionId < 1 || extensionId > 255) {
            throw new IllegalArgumentException("extension id must be 1..255");
        }
        this.extensionId = extensionId;
        this.next = firstSequence & 0xFFFF;
    }

    public int extensionId() {
        return extensionId;
    }

    /** The number the next stamped packet will carry. */
    public int nextSequence() {
        return next;
    }

    /**
     * Copies the RTP packet {@code src[srcOff, srcOff+srcLen)} into {@code dst} at {@code dstOff}
     * with the next transport-wide sequence number, overwriting the element if the packet already
     * has one. Returns the new length; the number used is {@code nextSequence()} before the call.
     * {@code dst} needs {@code srcLen + MAX_GROWTH} bytes and must not overlap the source.
     *
     * @throws IllegalArgumentException if the source is not RTP or uses a non-RFC 8285 extension
     *     profile (the SFU builds the packets it sends, so this is a programming error)
     */
    public int stamp(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff) {
        try {
            source.wrap(src, srcOff, srcLen);
        } catch (RtpParseException e) {
            throw new IllegalArgumentException("not an RTP packet: " + e.getMessage(), e);
        }
        int length;
        if (source.findExtension(extensionId) >= 0) {
            System.arraycopy(src, srcOff, dst, dstOff, srcLen);
            length = srcLen;
        } else {
            length = RtpExtensionAppender.copyAdding(source, extensionId, 2, dst, dstOff);
        }
        try {
            stamped.wrap(dst, dstOff, length);
        } catch (RtpParseException e) {
            throw new IllegalStateException("stamped packet does not parse", e);
        }
        if (!stamped.setTransportSequenceNumber(extensionId, next)) {
            throw new IllegalArgumentException("extension " + extensionId + " is not 2 bytes long");
        }
        next = (next + 1) & 0xFFFF;
        return length;
    }
}
