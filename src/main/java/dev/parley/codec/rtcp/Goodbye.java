package dev.parley.codec.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** BYE (RFC 3550 §6.6): the sources are leaving; the reason is optional. */
public record Goodbye(List<Long> ssrcs, String reason) implements RtcpPacket {
    public Goodbye {
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > 31) {
            throw new IllegalArgumentException("at most 31 sources");
        }
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("reason longer than 255 bytes");
        }
    }

    static Goodbye parse(byte[] b, int off, int len) {
        int count = b[off] & 0x1F;
        int end = off + len;
        int p = off + RtcpBytes.HEADER_LENGTH;
        RtcpBytes.require(end - p >= 4 * count, "BYE shorter than its source count");
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++, p += 4) {
            ssrcs.add(RtcpBytes.u32(b, p));
        }
        String reason = null;
        if (p < end) {
            int length = b[p] & 0xFF;
            RtcpBytes.require(end - p - 1 >= length, "BYE reason past the end");
            reason = RtcpBytes.utf8(b, p + 1, length);
        }
        return new Goodbye(ssrcs, reason);
    }

    @Override
    public int marshalledLength() {
        int n = RtcpBytes.HEADER_LENGTH + 4 * ssrcs.size();
        if (reason != null) {
            n += (1 + reason.getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
        }
        return n;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, ssrcs.size(), RtcpPacketType.BYE, n);
        int p = off + RtcpBytes.HEADER_LENGTH;
        for (long ssrc : ssrcs) {
            RtcpBytes.put32(out, p, ssrc);
            p += 4;
        }
        if (reason != null) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            out[p] = (byte) text.length;
            System.arraycopy(text, 0, out, p + 1, text.length);
            for (int q = p + 1 + text.length; q < off + n; q++) {
                out[q] = 0;
            }
        }
        return n;
    }
}
