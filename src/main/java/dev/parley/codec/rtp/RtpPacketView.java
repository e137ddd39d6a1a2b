package dev.parley.codec.rtp;

/**
 * Reusable, allocation-free view of one RTP packet in a caller-owned buffer
 * (RFC 3550 §5.1 fixed header, §5.3.1 header extension, RFC 8285 one- and two-byte elements).
 *
 * <p>This is the SFU hot path: {@link #wrap} validates the whole header once (version, CSRC
 * list, extension block and every extension element, padding) so the getters and setters that
 * follow need no further bounds checks. Setters write straight into the wrapped buffer; the
 * buffer stays owned by the caller and the view must be re-wrapped after the buffer changes
 * shape. One view per event loop is enough; it is not thread-safe.
 */
public final class RtpPacketView {
    /** RFC 3550 §5.1: fixed header is 12 bytes. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 §4.2 one-byte header profile marker. */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** RFC 8285 §4.3 two-byte header profile marker; the low 4 bits are "appbits". */
    public static final int PROFILE_TWO_BYTE = 0x1000;

    private byte[] buf;
    private int off;
    private int len;
    private int headerLength;
    private int extensionProfile = -1;
    private int extensionDataOffset;
    private int extensionDataLength;
    private int paddingLength;

    /** Wraps {@code len} bytes at {@code off}, or throws if they are not a valid RTP packet. */
    public RtpPacketView wrap(byte[] buffer, int offset, int length) {
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new RtpParseException("bounds outside buffer");
        }
        if (length < FIXED_HEADER_LENGTH) {
            throw new RtpParseException("shorter than the fixed header");
        }
        int b0 = buffer[offset] & 0xFF;
        if ((b0 >>> 6) != 2) {
            throw new RtpParseException("version is not 2");
        }
        int header = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (header > length) {
            throw new RtpParseException("CSRC list past the end");
        }
        int profile = -1;
        int extOffset = 0;
        int extLength = 0;
        if ((b0 & 0x10) != 0) {
            if (header + 4 > length) {
                throw new RtpParseException("extension header past the end");
            }
            profile = RtpBytes.u16(buffer, offset + header);
            extLength = 4 * RtpBytes.u16(buffer, offset + header + 2);
            extOffset = offset + header + 4;
            header += 4 + extLength;
            if (header > length) {
                throw new RtpParseException("extension length past the end");
            }
            validateElements(buffer, extOffset, extLength, profile);
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            padding = buffer[offset + length - 1] & 0xFF;
            if (padding == 0 || padding > length - header) {
                throw new RtpParseException("padding length outside the payload");
            }
        }
        this.buf = buffer;
        this.off = offset;
        this.len = length;
        this.headerLength = header;
        this.extensionProfile = profile;
        this.extensionDataOffset = extOffset;
        this.extensionDataLength = extLength;
        this.paddingLength = padding;
        return this;
    }

    // RFC 8285 §4.2/§4.3: every element must fit inside the declared extension block.
    private static void validateElements(byte[] b, int start, int length, int profile) {
        int end = start + length;
        if (profile == PROFILE_ONE_BYTE) {
            int p = start;
            while (p < end) {
                int h = b[p] & 0xFF;
                int id = h >>> 4;
                if (id == 0) { // padding byte
                    p++;
                    continue;
                }
                if (id == 15) { // reserved: stop processing the block (RFC 8285 §4.2)
                    return;
                }
                p += 1 + (h & 0x0F) + 1;
                if (p > end) {
                    throw new RtpParseException("extension element past the end");
                }
            }
        } else if ((profile & 0xFFF0) == PROFILE_TWO_BYTE) {
            int p = start;
            while (p < end) {
                int id = b[p] & 0xFF;
                if (id == 0) {
                    p++;
                    continue;
                }
                if (p + 1 >= end) {
                    throw new RtpParseException("extension element header past the end");
                }
                p += 2 + (b[p + 1] & 0xFF);
                if (p > end) {
                    throw new RtpParseException("extension element past the end");
                }
            }
        }
    }

    /** RFC 7983 / RFC 5761 §4 demultiplexing: version 2 and a payload type outside RTCP's 64..95. */
    public static boolean looksLikeRtp(byte[] b, int off, int len) {
        if (len < FIXED_HEADER_LENGTH) {
            return false;
        }
        int b0 = b[off] & 0xFF;
        int pt = b[off + 1] & 0x7F;
        return (b0 >>> 6) == 2 && (pt < 64 || pt > 95);
    }

    public byte[] buffer() { return buf; }
    public int offset() { return off; }
    public int length() { return len; }

    public boolean hasPadding() { return (buf[off] & 0x20) != 0; }
    public boolean hasExtension() { return extensionProfile >= 0; }
    public int csrcCount() { return buf[off] & 0x0F; }
    public boolean marker() { return (buf[off + 1] & 0x80) != 0; }
    public int payloadType() { return buf[off + 1] & 0x7F; }
    public int sequenceNumber() { return RtpBytes.u16(buf, off + 2); }
    public long timestamp() { return RtpBytes.u32(buf, off + 4); }
    public long ssrc() { return RtpBytes.u32(buf, off + 8); }

    /** The i-th contributing source. */
    public long csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return RtpBytes.u32(buf, off + FIXED_HEADER_LENGTH + 4 * index);
    }

    /** Bytes from the start of the packet to the payload, including CSRCs and extensions. */
    public int headerLength() { return headerLength; }
    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset() { return off + headerLength; }
    /** Payload bytes, excluding padding. Zero for padding-only probe packets. */
    public int payloadLength() { return len - headerLength - paddingLength; }
    /** Padding bytes at the end (RFC 3550 §5.1 P bit), including the count byte itself. */
    public int paddingLength() { return paddingLength; }
    /** The extension profile (0xBEDE, 0x100X or other), or -1 when there is no extension. */
    public int extensionProfile() { return extensionProfile; }

    /** Absolute offset of the first extension element (after the 4-byte block header). */
    int extensionDataOffset() { return extensionDataOffset; }
    /** Bytes of extension elements and their padding, excluding the block header. */
    int extensionDataLength() { return extensionDataLength; }

    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    public void setPayloadType(int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public void setSequenceNumber(int seq) { RtpBytes.put16(buf, off + 2, seq); }
    public void setTimestamp(long timestamp) { RtpBytes.put32(buf, off + 4, timestamp); }
    public void setSsrc(long ssrc) { RtpBytes.put32(buf, off + 8, ssrc); }

    /**
     * Absolute offset of the value of extension element {@code id} (RFC 8285), or -1 when
     * absent. Use {@link #extensionLength(int)} on the result for its length.
     */
    public int findExtension(int id) {
        if (id <= 0 || extensionProfile < 0) {
            return -1;
        }
        int end = extensionDataOffset + extensionDataLength;
        if (extensionProfile == PROFILE_ONE_BYTE) {
            int p = extensionDataOffset;
            while (p < end) {
                int h = buf[p] & 0xFF;
                int elementId = h >>> 4;
                if (elementId == 0) {
                    p++;
                    continue;
                }
                if (elementId == 15) {
                    return -1;
                }
                if (elementId == id) {
                    return p + 1;
                }
                p += (h & 0x0F) + 2;
            }
        } else if ((extensionProfile & 0xFFF0) == PROFILE_TWO_BYTE) {
            int p = extensionDataOffset;
            while (p < end) {
                int elementId = buf[p] & 0xFF;
                if (elementId == 0) {
                    p++;
                    continue;
                }
                if (elementId == id) {
                    return p + 2;
                }
                p += 2 + (buf[p + 1] & 0xFF);
            }
        }
        return -1;
    }

    /** Length of the extension value found at {@code valueOffset} by {@link #findExtension}. */
    public int extensionLength(int valueOffset) {
        if (extensionProfile == PROFILE_ONE_BYTE) {
            return (buf[valueOffset - 1] & 0x0F) + 1;
        }
        return buf[valueOffset - 1] & 0xFF;
    }

    /**
     * Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2)
     * carried in extension {@code id}, or -1 when absent or not 2 bytes long.
     */
    public int transportSequenceNumber(int id) {
        int p = findExtension(id);
        if (p < 0 || extensionLength(p) != 2) {
            return -1;
        }
        return RtpBytes.u16(buf, p);
    }

    /** Overwrites the transport-wide sequence number in place; false when the element is absent. */
    public boolean setTransportSequenceNumber(int id, int seq) {
        int p = findExtension(id);
        if (p < 0 || extensionLength(p) != 2) {
            return false;
        }
        RtpBytes.put16(buf, p, seq);
        return true;
    }

    /**
     * Big-endian unsigned value of extension {@code id} of 1..7 bytes (e.g. abs-send-time's 24
     * bits), or -1 when absent, empty or longer than 7 bytes.
     */
    public long extensionUnsigned(int id) {
        int p = findExtension(id);
        if (p < 0) {
            return -1;
        }
        int n = extensionLength(p);
        if (n < 1 || n > 7) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[p + i] & 0xFF);
        }
        return v;
    }

    /**
     * Overwrites extension {@code id} in place with the low bytes of {@code value}, big-endian,
     * over the element's existing length (1..8 bytes); false when absent or of another size.
     */
    public boolean setExtensionUnsigned(int id, long value) {
        int p = findExtension(id);
        if (p < 0) {
            return false;
        }
        int n = extensionLength(p);
        if (n < 1 || n > 8) {
            return false;
        }
        for (int i = n - 1; i >= 0; i--) {
            buf[p + i] = (byte) value;
            value >>>= 8;
        }
        return true;
    }

    /**
     * True when extension {@code id} holds exactly {@code expected}: how the SFU matches the
     * mid / rid / repaired-rid SDES extensions (RFC 9143 §15.2, RFC 8852 §3) without decoding
     * a string per packet.
     */
    public boolean extensionEquals(int id, byte[] expected) {
        int p = findExtension(id);
        if (p < 0 || extensionLength(p) != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf[p + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Renumbers extension elements in place: element {@code id} becomes {@code idMap[id]}.
     * An SFU uses this when a subscriber negotiated different extmap ids than the publisher.
     * Ids outside the map, or mapped to a value the profile cannot carry, are left unchanged.
     */
    public void remapExtensionIds(int[] idMap) {
        if (extensionProfile < 0) {
            return;
        }
        int end = extensionDataOffset + extensionDataLength;
        int p = extensionDataOffset;
        if (extensionProfile == PROFILE_ONE_BYTE) {
            while (p < end) {
                int h = buf[p] & 0xFF;
                int id = h >>> 4;
                if (id == 0) {
                    p++;
                    continue;
                }
                if (id == 15) {
                    return;
                }
                if (id < idMap.length && idMap[id] >= 1 && idMap[id] <= 14) {
                    buf[p] = (byte) ((idMap[id] << 4) | (h & 0x0F));
                }
                p += (h & 0x0F) + 2;
            }
        } else if ((extensionProfile & 0xFFF0) == PROFILE_TWO_BYTE) {
            while (p < end) {
                int id = buf[p] & 0xFF;
                if (id == 0) {
                    p++;
                    continue;
                }
                if (id < idMap.length && idMap[id] >= 1 && idMap[id] <= 255) {
                    buf[p] = (byte) idMap[id];
                }
                p += 2 + (buf[p + 1] & 0xFF);
            }
        }
    }

    /**
     * Removes the padding in place (clears the P bit); returns the new packet length. The view
     * is re-wrapped over the shorter packet.
     */
    public int stripPadding() {
        if (paddingLength == 0) {
            return len;
        }
        buf[off] = (byte) (buf[off] & ~0x20);
        wrap(buf, off, len - paddingLength);
        return len;
    }
}
