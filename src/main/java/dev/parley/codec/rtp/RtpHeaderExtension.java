package dev.parley.codec.rtp;

import java.util.Arrays;

/**
 * One RFC 8285 header extension element: a local id (negotiated by a=extmap) and its value.
 *
 * <p>For a non-RFC 8285 extension profile (RFC 3550 §5.3.1) {@link RtpPacket} keeps the whole
 * block as a single element with id 0.
 */
public record RtpHeaderExtension(int id, byte[] value) {
    public RtpHeaderExtension {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("extension id out of range: " + id);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpHeaderExtension e && e.id == id && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RtpHeaderExtension[id=" + id + ", length=" + value.length + "]";
    }
}
