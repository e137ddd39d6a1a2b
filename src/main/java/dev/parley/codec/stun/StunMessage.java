package dev.parley.codec.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A decoded STUN message (RFC 8489 §5, §14): header, transaction id and the attributes in wire order.
 *
 * <p>Immutable; it keeps its own copy of the bytes, which MESSAGE-INTEGRITY and FINGERPRINT checks
 * need. As RFC 8489 §14.5 requires, attributes that follow MESSAGE-INTEGRITY (other than
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) are dropped at decode time, so no caller can act on
 * bytes the integrity check did not cover.
 */
public final class StunMessage {
    /** RFC 8489 §5: fixed value in every STUN header. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    public static final int TRANSACTION_ID_LENGTH = 12;

    private final byte[] raw;
    private final MessageType type;
    private final int[] types;
    private final int[] offsets;
    private final int[] lengths;
    private final int count;
    private final int integrityAt;
    private final int integritySha256At;
    private final int fingerprintAt;

    private StunMessage(byte[] raw, MessageType type, int[] types, int[] offsets, int[] lengths, int count,
                        int integrityAt, int integritySha256At, int fingerprintAt) {
        this.raw = raw;
        this.type = type;
        this.types = types;
        this.offsets = offsets;
        this.lengths = lengths;
        this.count = count;
        this.integrityAt = integrityAt;
        this.integritySha256At = integritySha256At;
        this.fingerprintAt = fingerprintAt;
    }

    /**
     * RFC 7983 §7 demultiplexing plus RFC 8489 §6: whether these bytes start like a STUN message
     * (top two bits zero, magic cookie present). Cheap, allocation-free, never throws.
     */
    public static boolean looksLikeStun(byte[] data, int offset, int length) {
        if (data == null || offset < 0 || length < HEADER_LENGTH || offset > data.length - length) return false;
        return (data[offset] & 0xC0) == 0 && readInt(data, offset + 4) == MAGIC_COOKIE;
    }

    public static StunMessage decode(byte[] data) throws StunParseException {
        if (data == null) throw new StunParseException("no data");
        return decode(data, 0, data.length);
    }

    /** Decodes the remaining bytes of the buffer (position is not moved). */
    public static StunMessage decode(ByteBuffer buffer) throws StunParseException {
        if (buffer == null) throw new StunParseException("no data");
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return decodeOwned(copy);
    }

    /** Decodes exactly {@code length} bytes, which must hold one whole message and nothing else. */
    public static StunMessage decode(byte[] data, int offset, int length) throws StunParseException {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) {
            throw new StunParseException("bad bounds");
        }
        return decodeOwned(Arrays.copyOfRange(data, offset, offset + length));
    }

    private static StunMessage decodeOwned(byte[] raw) throws StunParseException {
        if (raw.length < HEADER_LENGTH) throw new StunParseException("shorter than a STUN header");
        int typeValue = readShort(raw, 0);
        if ((typeValue & 0xC000) != 0) throw new StunParseException("top two bits of type are not zero");
        int bodyLength = readShort(raw, 2);
        if ((bodyLength & 3) != 0) throw new StunParseException("length is not a multiple of 4");
        if (readInt(raw, 4) != MAGIC_COOKIE) throw new StunParseException("no magic cookie");
        if (HEADER_LENGTH + bodyLength != raw.length) {
            throw new StunParseException("length field " + bodyLength + " does not match " + (raw.length - HEADER_LENGTH));
        }
        int capacity = Math.max(1, bodyLength / 4);
        int[] types = new int[Math.min(capacity, 16)];
        int[] offsets = new int[types.length];
        int[] lengths = new int[types.length];
        int count = 0;
        int integrityAt = -1;
        int integritySha256At = -1;
        int fingerprintAt = -1;
        int pos = HEADER_LENGTH;
        while (pos < raw.length) {
            if (fingerprintAt >= 0) throw new StunParseException("attribute after FINGERPRINT");
            if (raw.length - pos < 4) throw new StunParseException("truncated attribute header");
            int attrType = readShort(raw, pos);
            int attrLength = readShort(raw, pos + 2);
            int valueAt = pos + 4;
            int padded = (attrLength + 3) & ~3;
            if (padded > raw.length - valueAt) throw new StunParseException("attribute 0x" + Integer.toHexString(attrType) + " overruns message");
            boolean afterIntegrity = integrityAt >= 0 || integritySha256At >= 0;
            if (attrType == AttributeType.FINGERPRINT) {
                if (attrLength != 4) throw new StunParseException("FINGERPRINT length " + attrLength);
                fingerprintAt = pos;
            } else if (attrType == AttributeType.MESSAGE_INTEGRITY && !afterIntegrity) {
                if (attrLength != MessageIntegrity.LENGTH) throw new StunParseException("MESSAGE-INTEGRITY length " + attrLength);
                integrityAt = pos;
            } else if (attrType == AttributeType.MESSAGE_INTEGRITY_SHA256 && integritySha256At < 0) {
                // RFC 8489 §14.6: 16..32 bytes, a multiple of 4.
                if (attrLength < 16 || attrLength > 32 || (attrLength & 3) != 0) {
                    throw new StunParseException("MESSAGE-INTEGRITY-SHA256 length " + attrLength);
                }
                integritySha256At = pos;
            }
            if (!afterIntegrity || attrType == AttributeType.MESSAGE_INTEGRITY_SHA256 && pos == integritySha256At
                    || attrType == AttributeType.FINGERPRINT) {
                if (count == types.length) {
                    int grown = types.length * 2;
                    types = Arrays.copyOf(types, grown);
                    offsets = Arrays.copyOf(offsets, grown);
                    lengths = Arrays.copyOf(lengths, grown);
                }
                types[count] = attrType;
                offsets[count] = valueAt;
                lengths[count] = attrLength;
                count++;
            }
            pos = valueAt + padded;
        }
        return new StunMessage(raw, MessageType.decode(typeValue), types, offsets, lengths, count,
                integrityAt, integritySha256At, fingerprintAt);
    }

    public MessageType type() {
        return type;
    }

    public int method() {
        return type.method();
    }

    public StunClass stunClass() {
        return type.stunClass();
    }

    /** A copy of the 96-bit transaction id. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(raw, 8, HEADER_LENGTH);
    }

    /** Whether the transaction id equals the given 12 bytes, without copying. */
    public boolean hasTransactionId(byte[] transactionId) {
        return transactionId != null && transactionId.length == TRANSACTION_ID_LENGTH
                && Arrays.equals(raw, 8, HEADER_LENGTH, transactionId, 0, TRANSACTION_ID_LENGTH);
    }

    /** Total length on the wire, header included. */
    public int length() {
        return raw.length;
    }

    /** A copy of the whole message as received. */
    public byte[] toBytes() {
        return raw.clone();
    }

    /** Number of attributes visible to callers (those integrity protects, plus FINGERPRINT). */
    public int attributeCount() {
        return count;
    }

    /** Type of the i-th visible attribute, in wire order. */
    public int attributeType(int index) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException(index);
        return types[index];
    }

    public boolean has(int attributeType) {
        return indexOf(attributeType) >= 0;
    }

    /** A copy of the first attribute of this type, or null. */
    public byte[] value(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? null : Arrays.copyOfRange(raw, offsets[i], offsets[i] + lengths[i]);
    }

    /** A read-only view of the first attribute of this type (no copy), or null. */
    public ByteBuffer valueBuffer(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? null : ByteBuffer.wrap(raw, offsets[i], lengths[i]).slice().asReadOnlyBuffer();
    }

    /** Length of the first attribute of this type, or -1. */
    public int valueLength(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? -1 : lengths[i];
    }

    /** A UTF-8 text attribute (USERNAME, REALM, NONCE, SOFTWARE), or null when absent. */
    public String text(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? null : new String(raw, offsets[i], lengths[i], StandardCharsets.UTF_8);
    }

    /** RFC 8489 §14.3 USERNAME, or null. */
    public String username() {
        return text(AttributeType.USERNAME);
    }

    /** RFC 8489 §14.9 REALM, or null. */
    public String realm() {
        return text(AttributeType.REALM);
    }

    /** RFC 8489 §14.10 NONCE, or null. */
    public String nonce() {
        return text(AttributeType.NONCE);
    }

    /** A 32-bit attribute read as unsigned, or -1 when absent; a wrong length is a parse error. */
    public long uint32(int attributeType) throws StunParseException {
        int i = indexOf(attributeType);
        if (i < 0) return -1;
        if (lengths[i] != 4) throw new StunParseException("attribute 0x" + Integer.toHexString(attributeType) + " is not 4 bytes");
        return readInt(raw, offsets[i]) & 0xFFFFFFFFL;
    }

    /** A 64-bit attribute (ICE tie-breakers, CONNECTION-ID is 32), or empty when absent. */
    public java.util.OptionalLong uint64(int attributeType) throws StunParseException {
        int i = indexOf(attributeType);
        if (i < 0) return java.util.OptionalLong.empty();
        if (lengths[i] != 8) throw new StunParseException("attribute 0x" + Integer.toHexString(attributeType) + " is not 8 bytes");
        return java.util.OptionalLong.of(((long) readInt(raw, offsets[i]) << 32) | (readInt(raw, offsets[i] + 4) & 0xFFFFFFFFL));
    }

    /** RFC 8489 §14.2 XOR-MAPPED-ADDRESS or the TURN XOR-*-ADDRESS attributes, or null when absent. */
    public java.net.InetSocketAddress xorAddress(int attributeType) throws StunParseException {
        int i = indexOf(attributeType);
        return i < 0 ? null : XorAddress.decode(raw, offsets[i], lengths[i]);
    }

    /** Every attribute of this type decoded as an XOR address, in wire order (RFC 8656 §9.1 allows several XOR-PEER-ADDRESS). */
    public List<java.net.InetSocketAddress> xorAddresses(int attributeType) throws StunParseException {
        List<java.net.InetSocketAddress> all = new ArrayList<>(1);
        for (int i = 0; i < count; i++) {
            if (types[i] == attributeType) all.add(XorAddress.decode(raw, offsets[i], lengths[i]));
        }
        return all;
    }

    /** RFC 8489 §14.8 ERROR-CODE, or null. */
    public ErrorCode errorCode() throws StunParseException {
        int i = indexOf(AttributeType.ERROR_CODE);
        return i < 0 ? null : ErrorCode.decode(raw, offsets[i], lengths[i]);
    }

    /**
     * RFC 8489 §7.3.1: comprehension-required attributes this receiver does not know, in order,
     * for an UNKNOWN-ATTRIBUTES error (420). Empty when there are none.
     */
    public List<Integer> unknownComprehensionRequired(IntPredicate known) {
        List<Integer> unknown = new ArrayList<>(0);
        for (int i = 0; i < count; i++) {
            int t = types[i];
            if (AttributeType.isComprehensionRequired(t) && !known.test(t) && !unknown.contains(t)) unknown.add(t);
        }
        return unknown;
    }

    boolean hasIntegrity() {
        return integrityAt >= 0;
    }

    boolean hasIntegritySha256() {
        return integritySha256At >= 0;
    }

    int integrityAt() {
        return integrityAt;
    }

    int integritySha256At() {
        return integritySha256At;
    }

    int fingerprintAt() {
        return fingerprintAt;
    }

    byte[] raw() {
        return raw;
    }

    private int indexOf(int attributeType) {
        for (int i = 0; i < count; i++) {
            if (types[i] == attributeType) return i;
        }
        return -1;
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(type.toString()).append(" [");
        for (int i = 0; i < count; i++) {
            if (i > 0) s.append(' ');
            s.append(String.format("0x%04x/%d", types[i], lengths[i]));
        }
        return s.append(']').toString();
    }
}
