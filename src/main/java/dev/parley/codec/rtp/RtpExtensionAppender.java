package dev.parley.codec.rtp;

/**
 * Copies an RTP packet into another buffer with one more RFC 8285 header extension element,
 * e.g. the SFU's own transport-wide sequence number on a packet whose publisher did not send
 * one. Allocation-free: elements are re-encoded straight into the destination.
 *
 * <p>RFC 8285 §4.1: the one-byte form is used when every element fits it (ids 1..14, 1..16
 * bytes); otherwise all elements are rewritten in the two-byte form. A block in a non-RFC 8285
 * profile cannot be mixed with elements and is refused.
 */
public final class RtpExtensionAppender {
    private RtpExtensionAppender() {}

    /**
     * Writes {@code src} plus an element {@code id} of {@code valueLength} zero bytes into
     * {@code dst} at {@code dstOff} and returns the new packet length. Set the value afterwards
     * through a view on {@code dst} ({@code findExtension(id)}). {@code dst} must not overlap the
     * source packet; padding (P bit) is carried over unchanged.
     *
     * @throws IllegalArgumentException if {@code id} is already present, out of range, the
     *     source uses a non-RFC 8285 profile, or {@code dst} is too small
     */
    public static int copyAdding(RtpPacketView src, int id, int valueLength, byte[] dst, int dstOff) {
        if (id < 1 || id > 255 || valueLength < 0 || valueLength > 255) {
            throw new IllegalArgumentException("extension id or length out of range");
        }
        if (src.findExtension(id) >= 0) {
            throw new IllegalArgumentException("extension " + id + " already present");
        }
        int profile = src.extensionProfile();
        boolean sourceOneByte = profile == RtpPacketView.PROFILE_ONE_BYTE;
        boolean sourceTwoByte = (profile & 0xFFF0) == RtpPacketView.PROFILE_TWO_BYTE;
        if (profile >= 0 && !sourceOneByte && !sourceTwoByte) {
            throw new IllegalArgumentException("cannot add an element to a non-RFC 8285 extension block");
        }
        boolean newFitsOneByte = id <= 14 && valueLength >= 1 && valueLength <= 16;
        boolean oneByte = newFitsOneByte && (profile < 0 || sourceOneByte);
        int targetProfile = oneByte ? RtpPacketView.PROFILE_ONE_BYTE
                : sourceTwoByte ? profile : RtpPacketView.PROFILE_TWO_BYTE;

        int elementsLength = walk(src, oneByte, null, 0) + (oneByte ? 1 : 2) + valueLength;
        int blockLength = (elementsLength + 3) & ~3;
        int fixedAndCsrc = RtpPacketView.FIXED_HEADER_LENGTH + 4 * src.csrcCount();
        int tail = src.length() - src.headerLength(); // payload and padding
        int total = fixedAndCsrc + 4 + blockLength + tail;
        byte[] s = src.buffer();
        if (dstOff < 0 || dstOff > dst.length - total) {
            throw new IllegalArgumentException("destination too small");
        }
        if (dst == s && dstOff < src.offset() + src.length() && src.offset() < dstOff + total) {
            throw new IllegalArgumentException("destination overlaps the source packet");
        }
        System.arraycopy(s, src.offset(), dst, dstOff, fixedAndCsrc);
        dst[dstOff] = (byte) (dst[dstOff] | 0x10);
        int p = dstOff + fixedAndCsrc;
        RtpBytes.put16(dst, p, targetProfile);
        RtpBytes.put16(dst, p + 2, blockLength / 4);
        p += 4;
        p += walk(src, oneByte, dst, p);
        if (oneByte) {
            dst[p++] = (byte) ((id << 4) | (valueLength - 1));
        } else {
            dst[p++] = (byte) id;
            dst[p++] = (byte) valueLength;
        }
        int blockEnd = dstOff + fixedAndCsrc + 4 + blockLength;
        while (p < blockEnd) {
            dst[p++] = 0; // the value bytes, then zero padding to a 32-bit boundary
        }
        System.arraycopy(s, src.payloadOffset(), dst, blockEnd, tail);
        return total;
    }

    /**
     * Re-encodes the source's elements (dropping padding bytes) into {@code out} at {@code p},
     * or only measures them when {@code out} is null. Returns the bytes written.
     */
    private static int walk(RtpPacketView src, boolean oneByte, byte[] out, int p) {
        if (src.extensionProfile() < 0) {
            return 0;
        }
        byte[] b = src.buffer();
        int start = src.extensionDataOffset();
        int end = start + src.extensionDataLength();
        boolean sourceOneByte = src.extensionProfile() == RtpPacketView.PROFILE_ONE_BYTE;
        int written = 0;
        int q = start;
        while (q < end) {
            int id;
            int length;
            int value;
            if (sourceOneByte) {
                int h = b[q] & 0xFF;
                id = h >>> 4;
                if (id == 0) {
                    q++;
                    continue;
                }
                if (id == 15) {
                    break;
                }
                length = (h & 0x0F) + 1;
                value = q + 1;
            } else {
                id = b[q] & 0xFF;
                if (id == 0) {
                    q++;
                    continue;
                }
                length = b[q + 1] & 0xFF;
                value = q + 2;
            }
            if (out != null) {
                if (oneByte) {
                    out[p + written] = (byte) ((id << 4) | (length - 1));
                } else {
                    out[p + written] = (byte) id;
                    out[p + written + 1] = (byte) length;
                }
                System.arraycopy(b, value, out, p + written + (oneByte ? 1 : 2), length);
            }
            written += (oneByte ? 1 : 2) + length;
            q = value + length;
        }
        return written;
    }
}
