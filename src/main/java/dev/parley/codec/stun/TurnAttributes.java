package dev.parley.codec.stun;

import java.util.OptionalInt;

/** Typed readers for RFC 8656 §18 TURN attributes and RFC 6062 §6.2 CONNECTION-ID. */
public final class TurnAttributes {
    /** RFC 8656 §18.11 REQUESTED-TRANSPORT protocol numbers. */
    public static final int TRANSPORT_UDP = 17;
    public static final int TRANSPORT_TCP = 6;
    /** RFC 8656 §18.12 REQUESTED-ADDRESS-FAMILY values. */
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private TurnAttributes() {
    }

    /** RFC 8656 §18.2 LIFETIME in seconds, or empty. */
    public static OptionalInt lifetime(StunMessage message) throws StunParseException {
        long v = message.uint32(AttributeType.LIFETIME);
        return v < 0 ? OptionalInt.empty() : OptionalInt.of((int) Math.min(v, Integer.MAX_VALUE));
    }

    /** RFC 8656 §18.1 CHANNEL-NUMBER (the upper 16 bits; RFFU ignored), or empty. */
    public static OptionalInt channelNumber(StunMessage message) throws StunParseException {
        long v = message.uint32(AttributeType.CHANNEL_NUMBER);
        return v < 0 ? OptionalInt.empty() : OptionalInt.of((int) (v >>> 16));
    }

    /** RFC 8656 §18.11 REQUESTED-TRANSPORT protocol number, or empty. */
    public static OptionalInt requestedTransport(StunMessage message) throws StunParseException {
        long v = message.uint32(AttributeType.REQUESTED_TRANSPORT);
        return v < 0 ? OptionalInt.empty() : OptionalInt.of((int) (v >>> 24));
    }

    /** RFC 8656 §18.12 REQUESTED-ADDRESS-FAMILY, or empty. */
    public static OptionalInt requestedAddressFamily(StunMessage message) throws StunParseException {
        long v = message.uint32(AttributeType.REQUESTED_ADDRESS_FAMILY);
        return v < 0 ? OptionalInt.empty() : OptionalInt.of((int) (v >>> 24));
    }

    /** RFC 8656 §18.8 EVEN-PORT: empty when absent, else 1 if the R (reserve next) bit is set, 0 if not. */
    public static OptionalInt evenPort(StunMessage message) throws StunParseException {
        int length = message.valueLength(AttributeType.EVEN_PORT);
        if (length < 0) return OptionalInt.empty();
        if (length < 1) throw new StunParseException("EVEN-PORT too short");
        return OptionalInt.of((message.value(AttributeType.EVEN_PORT)[0] & 0x80) != 0 ? 1 : 0);
    }

    /** RFC 6062 §6.2.1 CONNECTION-ID, or empty. */
    public static OptionalInt connectionId(StunMessage message) throws StunParseException {
        long v = message.uint32(AttributeType.CONNECTION_ID);
        return v < 0 ? OptionalInt.empty() : OptionalInt.of((int) v);
    }

    /** Builds the 4-byte CHANNEL-NUMBER value. */
    public static byte[] channelNumberValue(int channel) {
        return new byte[] {(byte) (channel >> 8), (byte) channel, 0, 0};
    }

    /** Builds the 4-byte REQUESTED-TRANSPORT value. */
    public static byte[] requestedTransportValue(int protocol) {
        return new byte[] {(byte) protocol, 0, 0, 0};
    }
}
