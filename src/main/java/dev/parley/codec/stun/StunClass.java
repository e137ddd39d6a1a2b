package dev.parley.codec.stun;

/** RFC 8489 §5: the two class bits of a STUN message type. */
public enum StunClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    int bits() {
        return bits;
    }

    static StunClass fromBits(int bits) {
        return switch (bits) {
            case 0b00 -> REQUEST;
            case 0b01 -> INDICATION;
            case 0b10 -> SUCCESS_RESPONSE;
            default -> ERROR_RESPONSE;
        };
    }
}
