package dev.parley.codec.rtcp;

/**
 * A reception report block (RFC 3550 §6.4.1), 24 bytes, carried in SR and RR.
 *
 * @param fractionLost fixed point 0..255 (lost / expected * 256) since the last report
 * @param cumulativeLost signed 24-bit: duplicates can make it negative
 * @param lastSenderReport middle 32 bits of the NTP timestamp of the last SR received
 * @param delaySinceLastSenderReport in units of 1/65536 s
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
    static final int LENGTH = 24;

    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost out of range");
        }
        if (cumulativeLost < -0x800000 || cumulativeLost > 0x7FFFFF) {
            throw new IllegalArgumentException("cumulative lost out of 24-bit range");
        }
    }

    static ReportBlock parse(byte[] b, int p) {
        int lost = RtcpBytes.u24(b, p + 5);
        if ((lost & 0x800000) != 0) {
            lost |= 0xFF000000; // sign-extend the 24-bit count
        }
        return new ReportBlock(RtcpBytes.u32(b, p), RtcpBytes.u8(b, p + 4), lost, RtcpBytes.u32(b, p + 8),
                RtcpBytes.u32(b, p + 12), RtcpBytes.u32(b, p + 16), RtcpBytes.u32(b, p + 20));
    }

    void marshalTo(byte[] out, int p) {
        RtcpBytes.put32(out, p, ssrc);
        out[p + 4] = (byte) fractionLost;
        RtcpBytes.put24(out, p + 5, cumulativeLost & 0xFFFFFF);
        RtcpBytes.put32(out, p + 8, extendedHighestSequence);
        RtcpBytes.put32(out, p + 12, jitter);
        RtcpBytes.put32(out, p + 16, lastSenderReport);
        RtcpBytes.put32(out, p + 20, delaySinceLastSenderReport);
    }
}
