package dev.parley.codec.rtcp;

import java.util.Arrays;

/**
 * An RTCP packet of a type this codec does not model (APP, XR, other feedback), kept verbatim
 * so that it can be counted, skipped or passed on.
 *
 * @param body every byte after the 4-byte header, padding included; a multiple of 4 long
 */
public record UnknownRtcpPacket(int packetType, int countOrFormat, boolean padding, byte[] body)
        implements RtcpPacket {

    public UnknownRtcpPacket {
        if (body.length % 4 != 0) {
            throw new IllegalArgumentException("RTCP body must be a multiple of 4 bytes");
        }
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    static UnknownRtcpPacket parse(byte[] b, int off, int len) {
        return new UnknownRtcpPacket(b[off + 1] & 0xFF, b[off] & 0x1F, (b[off] & 0x20) != 0,
                Arrays.copyOfRange(b, off + RtcpBytes.HEADER_LENGTH, off + len));
    }

    @Override
    public int marshalledLength() {
        return RtcpBytes.HEADER_LENGTH + body.length;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, padding, countOrFormat, packetType, n);
        System.arraycopy(body, 0, out, off + RtcpBytes.HEADER_LENGTH, body.length);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownRtcpPacket u && u.packetType == packetType
                && u.countOrFormat == countOrFormat && u.padding == padding && Arrays.equals(u.body, body);
    }

    @Override
    public int hashCode() {
        return packetType * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownRtcpPacket[type=" + packetType + ", fmt=" + countOrFormat + ", body=" + body.length + "B]";
    }
}
