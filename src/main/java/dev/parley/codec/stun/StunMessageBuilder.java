package dev.parley.codec.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Builds one STUN message (RFC 8489 §5, §14). Attributes are appended in call order; add
 * MESSAGE-INTEGRITY, then MESSAGE-INTEGRITY-SHA256, then FINGERPRINT last, as §14 orders them.
 *
 * <pre>{@code
 * byte[] response = StunMessageBuilder.successResponse(request)
 *         .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, source)
 *         .addMessageIntegrity(MessageIntegrity.shortTermKey(localPassword))
 *         .addFingerprint()
 *         .build();
 * }</pre>
 */
public final class StunMessageBuilder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] transactionId;
    private byte[] buffer = new byte[128];
    private int size = StunMessage.HEADER_LENGTH;

    public StunMessageBuilder(MessageType type, byte[] transactionId) {
        if (transactionId == null || transactionId.length != StunMessage.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        this.transactionId = transactionId.clone();
        int t = type.encode();
        buffer[0] = (byte) (t >> 8);
        buffer[1] = (byte) t;
        writeInt(4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, buffer, 8, StunMessage.TRANSACTION_ID_LENGTH);
    }

    /** A new request or indication with a fresh random transaction id (RFC 8489 §6.3.1). */
    public static StunMessageBuilder create(MessageType type) {
        byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        RANDOM.nextBytes(id);
        return new StunMessageBuilder(type, id);
    }

    /** A success response carrying the request's method and transaction id. */
    public static StunMessageBuilder successResponse(StunMessage request) {
        return new StunMessageBuilder(MessageType.success(request.method()), request.transactionId());
    }

    /** An error response with ERROR-CODE already added. */
    public static StunMessageBuilder errorResponse(StunMessage request, ErrorCode error) {
        return new StunMessageBuilder(MessageType.error(request.method()), request.transactionId()).addErrorCode(error);
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** Appends a raw attribute, padding it to 4 bytes with zeros. */
    public StunMessageBuilder add(int attributeType, byte[] value) {
        return add(attributeType, value, 0, value.length);
    }

    public StunMessageBuilder add(int attributeType, byte[] value, int offset, int length) {
        if (attributeType < 0 || attributeType > 0xFFFF) throw new IllegalArgumentException("attribute type " + attributeType);
        int padded = (length + 3) & ~3;
        if (size + 4 + padded - StunMessage.HEADER_LENGTH > 0xFFFF) throw new IllegalArgumentException("message too long");
        ensure(4 + padded);
        writeShort(size, attributeType);
        writeShort(size + 2, length);
        System.arraycopy(value, offset, buffer, size + 4, length);
        Arrays.fill(buffer, size + 4 + length, size + 4 + padded, (byte) 0);
        size += 4 + padded;
        return this;
    }

    public StunMessageBuilder addText(int attributeType, String text) {
        return add(attributeType, text.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageBuilder addUint32(int attributeType, long value) {
        return add(attributeType, new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
    }

    public StunMessageBuilder addUint64(int attributeType, long value) {
        byte[] v = new byte[8];
        for (int i = 0; i < 8; i++) v[i] = (byte) (value >> (56 - 8 * i));
        return add(attributeType, v);
    }

    /** Adds an attribute with no value (USE-CANDIDATE, DONT-FRAGMENT). */
    public StunMessageBuilder addFlag(int attributeType) {
        return add(attributeType, new byte[0]);
    }

    /** RFC 8489 §14.2 XOR-MAPPED-ADDRESS, or XOR-PEER-ADDRESS / XOR-RELAYED-ADDRESS (RFC 8656 §18.3, §18.5). */
    public StunMessageBuilder addXorAddress(int attributeType, InetSocketAddress address) {
        return add(attributeType, XorAddress.encode(address, transactionId));
    }

    public StunMessageBuilder addErrorCode(ErrorCode error) {
        return add(AttributeType.ERROR_CODE, error.encode());
    }

    /** RFC 8489 §14.5: HMAC-SHA1 over everything added so far. */
    public StunMessageBuilder addMessageIntegrity(byte[] key) {
        byte[] mac = MessageIntegrity.hmac("HmacSHA1", key, buffer, size, size + 4 + MessageIntegrity.LENGTH - StunMessage.HEADER_LENGTH);
        return add(AttributeType.MESSAGE_INTEGRITY, mac);
    }

    /** RFC 8489 §14.6: HMAC-SHA256 (full 32 bytes) over everything added so far. */
    public StunMessageBuilder addMessageIntegritySha256(byte[] key) {
        byte[] mac = MessageIntegrity.hmac("HmacSHA256", key, buffer, size, size + 4 + MessageIntegritySha256.LENGTH - StunMessage.HEADER_LENGTH);
        return add(AttributeType.MESSAGE_INTEGRITY_SHA256, mac);
    }

    /** RFC 8489 §14.7: must be the last attribute. */
    public StunMessageBuilder addFingerprint() {
        int crc = Fingerprint.compute(buffer, size, size + 8 - StunMessage.HEADER_LENGTH);
        return addUint32(AttributeType.FINGERPRINT, crc & 0xFFFFFFFFL);
    }

    /** The finished message bytes. The builder may be used further; each call returns a fresh array. */
    public byte[] build() {
        writeShort(2, size - StunMessage.HEADER_LENGTH);
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }

    private void writeShort(int at, int v) {
        buffer[at] = (byte) (v >> 8);
        buffer[at + 1] = (byte) v;
    }

    private void writeInt(int at, int v) {
        buffer[at] = (byte) (v >> 24);
        buffer[at + 1] = (byte) (v >> 16);
        buffer[at + 2] = (byte) (v >> 8);
        buffer[at + 3] = (byte) v;
    }
}
