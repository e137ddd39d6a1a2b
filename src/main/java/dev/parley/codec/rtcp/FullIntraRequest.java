package dev.parley.codec.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * FIR (RFC 5104 §4.3.1): a keyframe request addressed by FCI entries rather than by the
 * media source field, which RFC 5104 says SHALL be 0. The sequence number lets the sender
 * tell a new request from a repeat (§4.3.1.2), so the SFU increments it per request.
 */
public record FullIntraRequest(long senderSsrc, long mediaSsrc, List<Entry> entries) implements RtcpPacket {

    /** One FCI entry: the SSRC that should send a keyframe and the command sequence number. */
    public record Entry(long ssrc, int sequenceNumber) {
        public Entry {
            sequenceNumber &= 0xFF;
        }
    }

    public FullIntraRequest {
        entries = List.copyOf(entries);
    }

    public static FullIntraRequest of(long senderSsrc, long targetSsrc, int sequenceNumber) {
        return new FullIntraRequest(senderSsrc, 0, List.of(new Entry(targetSsrc, sequenceNumber)));
    }

    static FullIntraRequest parse(byte[] b, int off, int len) {
        RtcpBytes.require(len >= 12 && (len - 12) % 8 == 0, "FIR length is not 12 + 8n");
        List<Entry> entries = new ArrayList<>((len - 12) / 8);
        for (int p = off + 12; p < off + len; p += 8) {
            entries.add(new Entry(RtcpBytes.u32(b, p), b[p + 4] & 0xFF));
        }
        return new FullIntraRequest(RtcpBytes.u32(b, off + 4), RtcpBytes.u32(b, off + 8), entries);
    }

    @Override
    public int marshalledLength() {
        return 12 + 8 * entries.size();
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, RtcpPacketType.FMT_FIR, RtcpPacketType.PSFB, n);
        RtcpBytes.put32(out, off + 4, senderSsrc);
        RtcpBytes.put32(out, off + 8, mediaSsrc);
        int p = off + 12;
        for (Entry e : entries) {
            RtcpBytes.put32(out, p, e.ssrc());
            out[p + 4] = (byte) e.sequenceNumber();
            out[p + 5] = 0;
            out[p + 6] = 0;
            out[p + 7] = 0;
            p += 8;
        }
        return n;
    }
}
