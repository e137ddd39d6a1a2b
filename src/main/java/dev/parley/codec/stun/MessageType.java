package dev.parley.codec.stun;

/**
 * RFC 8489 §5 message type: a 12-bit method and a 2-bit class interleaved in 14 bits
 * (M11..M7 C1 M6..M4 C0 M3..M0).
 */
public record MessageType(int method, StunClass stunClass) {
    public MessageType {
        if (method < 0 || method > 0xFFF) throw new IllegalArgumentException("method out of range: " + method);
        if (stunClass == null) throw new IllegalArgumentException("class is null");
    }

    /** Encodes to the 16-bit wire value (top two bits zero). */
    public int encode() {
        int m = method;
        int c = stunClass.bits();
        return (m & 0x000F) | ((c & 1) << 4) | ((m & 0x0070) << 1) | ((c & 2) << 7) | ((m & 0x0F80) << 2);
    }

    /** Decodes a 16-bit wire value whose top two bits are already known to be zero. */
    public static MessageType decode(int value) {
        int m = (value & 0x000F) | ((value & 0x00E0) >> 1) | ((value & 0x3E00) >> 2);
        int c = ((value >> 4) & 1) | ((value >> 7) & 2);
        return new MessageType(m, StunClass.fromBits(c));
    }

    public static MessageType request(int method) {
        return new MessageType(method, StunClass.REQUEST);
    }

    public static MessageType indication(int method) {
        return new MessageType(method, StunClass.INDICATION);
    }

    public static MessageType success(int method) {
        return new MessageType(method, StunClass.SUCCESS_RESPONSE);
    }

    public static MessageType error(int method) {
        return new MessageType(method, StunClass.ERROR_RESPONSE);
    }

    @Override
    public String toString() {
        return StunMethod.name(method) + " " + stunClass;
    }
}
