package dev.parley.codec.rtcp;

import java.util.ArrayList;
import java.util.List;

/** Entry points for compound RTCP packets (RFC 3550 §6.1). */
public final class Rtcp {
    private Rtcp() {}

    /** RFC 5761 §4 / RFC 7983: version 2 with packet type 192..223 is RTCP, not RTP. */
    public static boolean looksLikeRtcp(byte[] b, int off, int len) {
        if (len < RtcpBytes.HEADER_LENGTH) {
            return false;
        }
        int pt = b[off + 1] & 0xFF;
        return (b[off] & 0xC0) == 0x80 && pt >= 192 && pt <= 223;
    }

    /** Parses every packet of a compound packet; unknown types become {@link UnknownRtcpPacket}. */
    public static List<RtcpPacket> parseCompound(byte[] buf, int off, int len) {
        RtcpCompoundIterator it = new RtcpCompoundIterator().reset(buf, off, len);
        List<RtcpPacket> packets = new ArrayList<>();
        while (it.next()) {
            packets.add(it.parse());
        }
        return packets;
    }

    public static List<RtcpPacket> parseCompound(byte[] buf) {
        return parseCompound(buf, 0, buf.length);
    }

    /** Concatenates packets into one compound packet. */
    public static byte[] marshalCompound(List<? extends RtcpPacket> packets) {
        int total = 0;
        for (RtcpPacket p : packets) {
            total += p.marshalledLength();
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (RtcpPacket p : packets) {
            pos += p.marshalTo(out, pos);
        }
        return out;
    }

    /**
     * Parses one packet whose bounds were checked by {@link RtcpCompoundIterator}: {@code len}
     * is the header's declared length. Padding is removed before the type's own parser runs.
     */
    static RtcpPacket parsePacket(byte[] b, int off, int len) {
        int type = b[off + 1] & 0xFF;
        int fmt = b[off] & 0x1F;
        int contentLength = len;
        if ((b[off] & 0x20) != 0) {
            contentLength -= b[off + len - 1] & 0xFF;
        }
        switch (type) {
            case RtcpPacketType.SR:
                return SenderReport.parse(b, off, contentLength);
            case RtcpPacketType.RR:
                return ReceiverReport.parse(b, off, contentLength);
            case RtcpPacketType.SDES:
                return SourceDescription.parse(b, off, contentLength);
            case RtcpPacketType.BYE:
                return Goodbye.parse(b, off, contentLength);
            case RtcpPacketType.RTPFB:
                if (fmt == RtcpPacketType.FMT_NACK) {
                    return GenericNack.parse(b, off, contentLength);
                }
                if (fmt == RtcpPacketType.FMT_TRANSPORT_CC) {
                    return TransportWideCcFeedback.parse(b, off, contentLength);
                }
                break;
            case RtcpPacketType.PSFB:
                if (fmt == RtcpPacketType.FMT_PLI) {
                    return PictureLossIndication.parse(b, off, contentLength);
                }
                if (fmt == RtcpPacketType.FMT_FIR) {
                    return FullIntraRequest.parse(b, off, contentLength);
                }
                if (fmt == RtcpPacketType.FMT_AFB && ReceiverEstimatedMaxBitrate.isRemb(b, off, contentLength)) {
                    return ReceiverEstimatedMaxBitrate.parse(b, off, contentLength);
                }
                break;
            default:
                break;
        }
        return UnknownRtcpPacket.parse(b, off, len);
    }
}
