package dev.parley.codec.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * REMB (draft-alvestrand-rmcat-remb-03 §2.2): PSFB application-layer feedback with the
 * identifier "REMB", an 18-bit mantissa and 6-bit exponent bitrate, and the SSRCs it covers.
 */
public record ReceiverEstimatedMaxBitrate(long senderSsrc, long bitrate, List<Long> ssrcs) implements RtcpPacket {
    private static final int MAX_MANTISSA = 0x3FFFF;

    public ReceiverEstimatedMaxBitrate {
        if (bitrate < 0) {
            throw new IllegalArgumentException("negative bitrate");
        }
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > 255) {
            throw new IllegalArgumentException("at most 255 SSRCs");
        }
    }

    static boolean isRemb(byte[] b, int off, int len) {
        return len >= 16 && b[off + 12] == 'R' && b[off + 13] == 'E' && b[off + 14] == 'M' && b[off + 15] == 'B';
    }

    static ReceiverEstimatedMaxBitrate parse(byte[] b, int off, int len) {
        RtcpBytes.require(len >= 20, "REMB shorter than 20 bytes");
        int count = b[off + 16] & 0xFF;
        RtcpBytes.require(len >= 20 + 4 * count, "REMB SSRC list past the end");
        int exponent = (b[off + 17] & 0xFF) >>> 2;
        long mantissa = ((b[off + 17] & 0x03L) << 16) | RtcpBytes.u16(b, off + 18);
        // 18 bits shifted by up to 63 overflows a long: saturate, any such value means "unlimited".
        long bitrate = exponent > 45 || (mantissa << exponent) >>> exponent != mantissa
                ? Long.MAX_VALUE : mantissa << exponent;
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(RtcpBytes.u32(b, off + 20 + 4 * i));
        }
        return new ReceiverEstimatedMaxBitrate(RtcpBytes.u32(b, off + 4), bitrate, ssrcs);
    }

    @Override
    public int marshalledLength() {
        return 20 + 4 * ssrcs.size();
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, RtcpPacketType.FMT_AFB, RtcpPacketType.PSFB, n);
        RtcpBytes.put32(out, off + 4, senderSsrc);
        RtcpBytes.put32(out, off + 8, 0); // media source is unused and SHALL be 0
        out[off + 12] = 'R';
        out[off + 13] = 'E';
        out[off + 14] = 'M';
        out[off + 15] = 'B';
        long mantissa = bitrate;
        int exponent = 0;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1; // rounds down: never advertise more than estimated
            exponent++;
        }
        out[off + 16] = (byte) ssrcs.size();
        out[off + 17] = (byte) ((exponent << 2) | (int) (mantissa >>> 16));
        RtcpBytes.put16(out, off + 18, (int) mantissa);
        int p = off + 20;
        for (long ssrc : ssrcs) {
            RtcpBytes.put32(out, p, ssrc);
            p += 4;
        }
        return n;
    }
}
