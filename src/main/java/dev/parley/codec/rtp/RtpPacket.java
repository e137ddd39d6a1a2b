package dev.parley.codec.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An owned, immutable RTP packet (RFC 3550 §5.1) for building packets and for tests.
 *
 * <p>The forwarding path uses {@link RtpPacketView} instead; this class allocates. When
 * {@code extensionProfile} is 0 a profile is chosen on marshal: one-byte (0xBEDE) if every
 * element fits (ids 1..14, 1..16 bytes), otherwise two-byte (0x1000), as RFC 8285 §4.1 asks.
 */
public record RtpPacket(
        boolean marker,
        int payloadType,
        int sequenceNumber,
        long timestamp,
        long ssrc,
        List<Long> csrcs,
        int extensionProfile,
        List<RtpHeaderExtension> extensions,
        byte[] payload,
        int paddingLength) {

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range");
        }
        if (csrcs.size() > 15) {
            throw new IllegalArgumentException("at most 15 CSRCs");
        }
        if (paddingLength < 0 || paddingLength > 255) {
            throw new IllegalArgumentException("padding out of range");
        }
        csrcs = List.copyOf(csrcs);
        extensions = List.copyOf(extensions);
        payload = payload.clone();
        sequenceNumber &= 0xFFFF;
        timestamp &= 0xFFFFFFFFL;
        ssrc &= 0xFFFFFFFFL;
    }

    /** A packet with no CSRCs, extensions or padding. */
    public static RtpPacket of(int payloadType, int seq, long timestamp, long ssrc, boolean marker, byte[] payload) {
        return new RtpPacket(marker, payloadType, seq, timestamp, ssrc, List.of(), 0, List.of(), payload, 0);
    }

    public RtpPacket withExtensions(List<RtpHeaderExtension> newExtensions) {
        return new RtpPacket(marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs, 0,
                newExtensions, payload, paddingLength);
    }

    public RtpPacket withPadding(int padding) {
        return new RtpPacket(marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs,
                extensionProfile, extensions, payload, padding);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The value of extension {@code id}, or null. */
    public byte[] extension(int id) {
        for (RtpHeaderExtension e : extensions) {
            if (e.id() == id) {
                return e.value();
            }
        }
        return null;
    }

    /** Copies the packet out of {@code view}. */
    public static RtpPacket from(RtpPacketView view) {
        byte[] b = view.buffer();
        List<Long> csrcs = new ArrayList<>(view.csrcCount());
        for (int i = 0; i < view.csrcCount(); i++) {
            csrcs.add(view.csrc(i));
        }
        List<RtpHeaderExtension> exts = new ArrayList<>();
        int profile = view.extensionProfile();
        if (profile >= 0) {
            int start = view.offset() + RtpPacketView.FIXED_HEADER_LENGTH + 4 * view.csrcCount() + 4;
            int end = view.payloadOffset();
            if (profile == RtpPacketView.PROFILE_ONE_BYTE) {
                for (int p = start; p < end; ) {
                    int h = b[p] & 0xFF;
                    if (h >>> 4 == 0) { p++; continue; }
                    if (h >>> 4 == 15) { break; }
                    int l = (h & 0x0F) + 1;
                    exts.add(new RtpHeaderExtension(h >>> 4, Arrays.copyOfRange(b, p + 1, p + 1 + l)));
                    p += 1 + l;
                }
            } else if ((profile & 0xFFF0) == RtpPacketView.PROFILE_TWO_BYTE) {
                for (int p = start; p < end; ) {
                    int id = b[p] & 0xFF;
                    if (id == 0) { p++; continue; }
                    int l = b[p + 1] & 0xFF;
                    exts.add(new RtpHeaderExtension(id, Arrays.copyOfRange(b, p + 2, p + 2 + l)));
                    p += 2 + l;
                }
            } else {
                exts.add(new RtpHeaderExtension(0, Arrays.copyOfRange(b, start, end)));
            }
        }
        byte[] payload = Arrays.copyOfRange(b, view.payloadOffset(), view.payloadOffset() + view.payloadLength());
        return new RtpPacket(view.marker(), view.payloadType(), view.sequenceNumber(), view.timestamp(),
                view.ssrc(), csrcs, profile < 0 ? 0 : profile, exts, payload, view.paddingLength());
    }

    /** Parses a packet, copying its bytes. */
    public static RtpPacket parse(byte[] buf, int off, int len) {
        return from(new RtpPacketView().wrap(buf, off, len));
    }

    public static RtpPacket parse(byte[] buf) {
        return parse(buf, 0, buf.length);
    }

    private int profileForMarshal() {
        if (extensionProfile != 0 || extensions.isEmpty()) {
            return extensionProfile;
        }
        for (RtpHeaderExtension e : extensions) {
            if (e.id() < 1 || e.id() > 14 || e.length() < 1 || e.length() > 16) {
                return RtpPacketView.PROFILE_TWO_BYTE;
            }
        }
        return RtpPacketView.PROFILE_ONE_BYTE;
    }

    private int extensionDataLength(int profile) {
        int n = 0;
        for (RtpHeaderExtension e : extensions) {
            if (profile == RtpPacketView.PROFILE_ONE_BYTE) {
                n += 1 + e.length();
            } else if ((profile & 0xFFF0) == RtpPacketView.PROFILE_TWO_BYTE) {
                n += 2 + e.length();
            } else {
                n += e.length();
            }
        }
        return (n + 3) & ~3;
    }

    /** Bytes {@link #marshalTo} writes. */
    public int marshalledLength() {
        int profile = profileForMarshal();
        int n = RtpPacketView.FIXED_HEADER_LENGTH + 4 * csrcs.size() + payload.length + paddingLength;
        if (profile != 0) {
            n += 4 + extensionDataLength(profile);
        }
        return n;
    }

    public byte[] marshal() {
        byte[] out = new byte[marshalledLength()];
        marshalTo(out, 0);
        return out;
    }

    /** Writes the packet at {@code off}; returns the number of bytes written. */
    public int marshalTo(byte[] out, int off) {
        int profile = profileForMarshal();
        int total = marshalledLength();
        if (off < 0 || off > out.length - total) {
            throw new IllegalArgumentException("buffer too small");
        }
        out[off] = (byte) (0x80 | (paddingLength > 0 ? 0x20 : 0) | (profile != 0 ? 0x10 : 0) | csrcs.size());
        out[off + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        RtpBytes.put16(out, off + 2, sequenceNumber);
        RtpBytes.put32(out, off + 4, timestamp);
        RtpBytes.put32(out, off + 8, ssrc);
        int p = off + RtpPacketView.FIXED_HEADER_LENGTH;
        for (long csrc : csrcs) {
            RtpBytes.put32(out, p, csrc);
            p += 4;
        }
        if (profile != 0) {
            int dataLength = extensionDataLength(profile);
            RtpBytes.put16(out, p, profile);
            RtpBytes.put16(out, p + 2, dataLength / 4);
            int q = p + 4;
            for (RtpHeaderExtension e : extensions) {
                byte[] v = e.value();
                if (profile == RtpPacketView.PROFILE_ONE_BYTE) {
                    if (e.id() < 1 || e.id() > 14 || v.length < 1 || v.length > 16) {
                        throw new IllegalArgumentException("element does not fit the one-byte profile");
                    }
                    out[q++] = (byte) ((e.id() << 4) | (v.length - 1));
                } else if ((profile & 0xFFF0) == RtpPacketView.PROFILE_TWO_BYTE) {
                    if (e.id() < 1 || v.length > 255) {
                        throw new IllegalArgumentException("element does not fit the two-byte profile");
                    }
                    out[q++] = (byte) e.id();
                    out[q++] = (byte) v.length;
                }
                System.arraycopy(v, 0, out, q, v.length);
                q += v.length;
            }
            int end = p + 4 + dataLength;
            Arrays.fill(out, q, end, (byte) 0); // RFC 8285 §4.1: zero bytes pad to a 32-bit word
            p = end;
        }
        System.arraycopy(payload, 0, out, p, payload.length);
        p += payload.length;
        if (paddingLength > 0) {
            Arrays.fill(out, p, p + paddingLength - 1, (byte) 0);
            out[p + paddingLength - 1] = (byte) paddingLength;
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket r && marker == r.marker && payloadType == r.payloadType
                && sequenceNumber == r.sequenceNumber && timestamp == r.timestamp && ssrc == r.ssrc
                && csrcs.equals(r.csrcs) && extensionProfile == r.extensionProfile
                && extensions.equals(r.extensions) && Arrays.equals(payload, r.payload)
                && paddingLength == r.paddingLength;
    }

    @Override
    public int hashCode() {
        return ((sequenceNumber * 31 + Long.hashCode(ssrc)) * 31 + Long.hashCode(timestamp)) * 31
                + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RtpPacket[pt=" + payloadType + ", seq=" + sequenceNumber + ", ts=" + timestamp
                + ", ssrc=" + ssrc + ", marker=" + marker + ", extensions=" + extensions
                + ", payload=" + payload.length + "B, padding=" + paddingLength + "]";
    }
}
