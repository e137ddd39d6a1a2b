package dev.parley.codec.stun;

import java.util.zip.CRC32;

/** RFC 8489 §14.7 FINGERPRINT: CRC-32 of the message up to this attribute, XOR 0x5354554e. */
public final class Fingerprint {
    static final int XOR = 0x5354554E;

    private Fingerprint() {
    }

    /** Whether the message ends with a FINGERPRINT attribute. */
    public static boolean isPresent(StunMessage message) {
        return message.fingerprintAt() >= 0;
    }

    /** Whether the FINGERPRINT is present and correct. */
    public static boolean check(StunMessage message) {
        int at = message.fingerprintAt();
        if (at < 0) return false;
        byte[] raw = message.raw();
        return compute(raw, at, at + 8 - StunMessage.HEADER_LENGTH) == StunMessage.readInt(raw, at + 4);
    }

    /** CRC over {@code raw[0..end)} with the length field replaced by {@code lengthField}. */
    static int compute(byte[] raw, int end, int lengthField) {
        CRC32 crc = new CRC32();
        crc.update(raw, 0, 2);
        crc.update(lengthField >> 8);
        crc.update(lengthField);
        crc.update(raw, 4, end - 4);
        return (int) crc.getValue() ^ XOR;
    }
}
