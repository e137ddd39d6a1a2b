package dev.parley.codec.rtcp;

/**
 * Walks the packets of a compound RTCP packet (RFC 3550 §6.1) without allocating.
 *
 * <p>Each step checks the version and that the packet's declared length stays inside the
 * datagram, so a caller can skip packet types it does not handle without risk. A malformed
 * packet ends the walk with {@link RtcpParseException}; the packets before it were valid.
 * Not thread-safe; reuse one instance per event loop.
 */
public final class RtcpCompoundIterator {
    private byte[] buf;
    private int end;
    private int next;
    private int packetOffset;
    private int packetLength;

    /** Starts walking {@code len} bytes at {@code off}. */
    public RtcpCompoundIterator reset(byte[] buffer, int off, int len) {
        if (buffer == null || off < 0 || len < 0 || off > buffer.length - len) {
            throw new RtcpParseException("bounds outside buffer");
        }
        this.buf = buffer;
        this.next = off;
        this.end = off + len;
        this.packetOffset = off;
        this.packetLength = 0;
        return this;
    }

    /** Advances to the next packet; false at the end of the compound packet. */
    public boolean next() {
        if (next >= end) {
            return false;
        }
        RtcpBytes.require(end - next >= RtcpBytes.HEADER_LENGTH, "truncated RTCP header");
        RtcpBytes.require((buf[next] & 0xC0) == 0x80, "RTCP version is not 2");
        int length = (RtcpBytes.u16(buf, next + 2) + 1) * 4;
        RtcpBytes.require(length <= end - next, "RTCP length past the end");
        if ((buf[next] & 0x20) != 0) {
            int padding = buf[next + length - 1] & 0xFF;
            RtcpBytes.require(padding > 0 && padding <= length - RtcpBytes.HEADER_LENGTH,
                    "RTCP padding outside the packet");
        }
        packetOffset = next;
        packetLength = length;
        next += length;
        return true;
    }

    public byte[] buffer() { return buf; }
    /** Absolute offset of the current packet's first header byte. */
    public int packetOffset() { return packetOffset; }
    /** Length of the current packet in bytes, header and padding included. */
    public int packetLength() { return packetLength; }
    public int packetType() { return buf[packetOffset + 1] & 0xFF; }
    /** Report count (SR/RR/SDES/BYE) or feedback message type (RTPFB/PSFB). */
    public int countOrFormat() { return buf[packetOffset] & 0x1F; }
    public boolean hasPadding() { return (buf[packetOffset] & 0x20) != 0; }

    /** SSRC of the sender of the current packet (the first word after the header), or -1. */
    public long senderSsrc() {
        return packetLength >= 8 ? RtcpBytes.u32(buf, packetOffset + 4) : -1;
    }

    /** Media source SSRC of a feedback packet (RFC 4585 §6.1), or -1. */
    public long mediaSsrc() {
        return packetLength >= 12 ? RtcpBytes.u32(buf, packetOffset + 8) : -1;
    }

    /** Parses the current packet into an owned value (allocates). */
    public RtcpPacket parse() {
        return Rtcp.parsePacket(buf, packetOffset, packetLength);
    }
}
