package dev.parley.codec.rtcp;

/** PLI (RFC 4585 §6.3.1): the receiver lost picture data and needs a keyframe; no FCI. */
public record PictureLossIndication(long senderSsrc, long mediaSsrc) implements RtcpPacket {
    static final int LENGTH = 12;

    static PictureLossIndication parse(byte[] b, int off, int len) {
        RtcpBytes.require(len >= LENGTH, "PLI shorter than 12 bytes");
        return new PictureLossIndication(RtcpBytes.u32(b, off + 4), RtcpBytes.u32(b, off + 8));
    }

    @Override
    public int marshalledLength() {
        return LENGTH;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        RtcpBytes.checkSpace(out, off, LENGTH);
        RtcpBytes.putHeader(out, off, false, RtcpPacketType.FMT_PLI, RtcpPacketType.PSFB, LENGTH);
        RtcpBytes.put32(out, off + 4, senderSsrc);
        RtcpBytes.put32(out, off + 8, mediaSsrc);
        return LENGTH;
    }
}
