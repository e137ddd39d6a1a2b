package dev.parley.codec.rtp;

/**
 * RTX retransmission payload format (RFC 4588 §4): the original sequence number (OSN) is
 * prepended to the original payload, and the packet travels on the RTX SSRC and payload type
 * with the RTX stream's own sequence numbers.
 */
public final class Rtx {
    private Rtx() {}

    /**
     * Builds an RTX packet from the original packet in {@code view}, writing into {@code dst}.
     * The original header (CSRCs, extensions) is kept, the OSN inserted before the payload and
     * padding dropped. Returns the number of bytes written.
     */
    public static int wrap(RtpPacketView original, byte[] dst, int dstOff,
                           long rtxSsrc, int rtxPayloadType, int rtxSequenceNumber) {
        int header = original.headerLength();
        int payload = original.payloadLength();
        int total = header + 2 + payload;
        if (dstOff < 0 || dstOff > dst.length - total) {
            throw new IllegalArgumentException("destination too small for the RTX packet");
        }
        byte[] src = original.buffer();
        int osn = original.sequenceNumber();
        // Payload first: src and dst may be the same buffer with the payload moving right.
        System.arraycopy(src, original.payloadOffset(), dst, dstOff + header + 2, payload);
        System.arraycopy(src, original.offset(), dst, dstOff, header);
        RtpBytes.put16(dst, dstOff + header, osn);
        dst[dstOff] = (byte) (dst[dstOff] & ~0x20);
        dst[dstOff + 1] = (byte) ((dst[dstOff + 1] & 0x80) | (rtxPayloadType & 0x7F));
        RtpBytes.put16(dst, dstOff + 2, rtxSequenceNumber);
        RtpBytes.put32(dst, dstOff + 8, rtxSsrc);
        return total;
    }

    /** The original sequence number carried by an RTX packet. */
    public static int originalSequenceNumber(RtpPacketView rtx) {
        if (rtx.payloadLength() < 2) {
            throw new RtpParseException("RTX payload shorter than the OSN");
        }
        return RtpBytes.u16(rtx.buffer(), rtx.payloadOffset());
    }

    /**
     * Turns the RTX packet in {@code rtx} back into the original packet, in place: restores
     * the OSN, SSRC and payload type and removes the two OSN bytes (padding, if any, is
     * dropped). Returns the new length; the view is re-wrapped over it.
     */
    public static int unwrap(RtpPacketView rtx, long originalSsrc, int originalPayloadType) {
        int osn = originalSequenceNumber(rtx);
        byte[] b = rtx.buffer();
        int payloadStart = rtx.payloadOffset();
        int payload = rtx.payloadLength() - 2;
        System.arraycopy(b, payloadStart + 2, b, payloadStart, payload);
        b[rtx.offset()] = (byte) (b[rtx.offset()] & ~0x20);
        int newLength = rtx.headerLength() + payload;
        rtx.wrap(b, rtx.offset(), newLength);
        rtx.setSequenceNumber(osn);
        rtx.setSsrc(originalSsrc);
        rtx.setPayloadType(originalPayloadType);
        return newLength;
    }
}
