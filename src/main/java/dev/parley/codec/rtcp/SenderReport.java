package dev.parley.codec.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SR: sender report (RFC 3550 §6.4.1). The SFU sends one per subscriber stream so the
 * receiver can map RTP timestamps to wall clock for lip sync.
 *
 * @param ntpTimestamp 64-bit NTP time (seconds since 1900 in the high word, fraction in the low)
 * @param profileExtension bytes after the report blocks (RFC 3550 §6.4.1), usually empty
 */
public record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount,
                           long octetCount, List<ReportBlock> reports, byte[] profileExtension)
        implements RtcpPacket {

    public SenderReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks");
        }
        if (profileExtension.length % 4 != 0) {
            throw new IllegalArgumentException("profile extension must be whole words");
        }
        profileExtension = profileExtension.clone();
    }

    public SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                        List<ReportBlock> reports) {
        this(ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount, reports, new byte[0]);
    }

    @Override
    public byte[] profileExtension() {
        return profileExtension.clone();
    }

    /** The middle 32 bits of the NTP timestamp, echoed by receivers as LSR (RFC 3550 §6.4.1). */
    public long compactNtp() {
        return (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
    }

    static SenderReport parse(byte[] b, int off, int len) {
        int count = b[off] & 0x1F;
        RtcpBytes.require(len >= 28 + count * ReportBlock.LENGTH, "SR shorter than its report count");
        List<ReportBlock> reports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reports.add(ReportBlock.parse(b, off + 28 + i * ReportBlock.LENGTH));
        }
        int ext = off + 28 + count * ReportBlock.LENGTH;
        RtcpBytes.require((off + len - ext) % 4 == 0, "SR profile extension is not whole words");
        long ntp = (RtcpBytes.u32(b, off + 8) << 32) | RtcpBytes.u32(b, off + 12);
        return new SenderReport(RtcpBytes.u32(b, off + 4), ntp, RtcpBytes.u32(b, off + 16),
                RtcpBytes.u32(b, off + 20), RtcpBytes.u32(b, off + 24), reports,
                Arrays.copyOfRange(b, ext, off + len));
    }

    @Override
    public int marshalledLength() {
        return 28 + reports.size() * ReportBlock.LENGTH + profileExtension.length;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, reports.size(), RtcpPacketType.SR, n);
        RtcpBytes.put32(out, off + 4, ssrc);
        RtcpBytes.put32(out, off + 8, ntpTimestamp >>> 32);
        RtcpBytes.put32(out, off + 12, ntpTimestamp);
        RtcpBytes.put32(out, off + 16, rtpTimestamp);
        RtcpBytes.put32(out, off + 20, packetCount);
        RtcpBytes.put32(out, off + 24, octetCount);
        int p = off + 28;
        for (ReportBlock r : reports) {
            r.marshalTo(out, p);
            p += ReportBlock.LENGTH;
        }
        System.arraycopy(profileExtension, 0, out, p, profileExtension.length);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SenderReport s && s.ssrc == ssrc && s.ntpTimestamp == ntpTimestamp
                && s.rtpTimestamp == rtpTimestamp && s.packetCount == packetCount && s.octetCount == octetCount
                && s.reports.equals(reports) && Arrays.equals(s.profileExtension, profileExtension);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ssrc) * 31 + Long.hashCode(ntpTimestamp);
    }
}
