package dev.parley.codec.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** RR: receiver report (RFC 3550 §6.4.2); the SFU sends these to publishers. */
public record ReceiverReport(long ssrc, List<ReportBlock> reports, byte[] profileExtension)
        implements RtcpPacket {

    public ReceiverReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks");
        }
        if (profileExtension.length % 4 != 0) {
            throw new IllegalArgumentException("profile extension must be whole words");
        }
        profileExtension = profileExtension.clone();
    }

    public ReceiverReport(long ssrc, List<ReportBlock> reports) {
        this(ssrc, reports, new byte[0]);
    }

    @Override
    public byte[] profileExtension() {
        return profileExtension.clone();
    }

    static ReceiverReport parse(byte[] b, int off, int len) {
        int count = b[off] & 0x1F;
        RtcpBytes.require(len >= 8 + count * ReportBlock.LENGTH, "RR shorter than its report count");
        List<ReportBlock> reports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            reports.add(ReportBlock.parse(b, off + 8 + i * ReportBlock.LENGTH));
        }
        int ext = off + 8 + count * ReportBlock.LENGTH;
        RtcpBytes.require((off + len - ext) % 4 == 0, "RR profile extension is not whole words");
        return new ReceiverReport(RtcpBytes.u32(b, off + 4), reports, Arrays.copyOfRange(b, ext, off + len));
    }

    @Override
    public int marshalledLength() {
        return 8 + reports.size() * ReportBlock.LENGTH + profileExtension.length;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, reports.size(), RtcpPacketType.RR, n);
        RtcpBytes.put32(out, off + 4, ssrc);
        int p = off + 8;
        for (ReportBlock r : reports) {
            r.marshalTo(out, p);
            p += ReportBlock.LENGTH;
        }
        System.arraycopy(profileExtension, 0, out, p, profileExtension.length);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceiverReport r && r.ssrc == ssrc && r.reports.equals(reports)
                && Arrays.equals(r.profileExtension, profileExtension);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ssrc) * 31 + reports.hashCode();
    }
}
