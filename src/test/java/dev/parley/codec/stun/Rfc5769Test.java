package dev.parley.codec.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 5769 test vectors (and RFC 8489 Appendix B.1), plus corrupted copies that must fail. */
class Rfc5769Test {
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    // RFC 5769 §2.1 Sample Request
    static final byte[] REQUEST = hex("000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e207465737420636c69656e74"
            + "002400046e0001ff80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf");
    // RFC 5769 §2.2 Sample IPv4 Response
    static final byte[] IPV4_RESPONSE = hex("0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004c07d4c96");
    // RFC 5769 §2.3 Sample IPv6 Response
    static final byte[] IPV6_RESPONSE = hex("010100482112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
            + "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
            + "80280004c8fb0b4c");
    // RFC 5769 §2.4 Sample Request with Long-Term Authentication
    static final byte[] LONG_TERM_REQUEST = hex("000100602112a44278ad3433c6ad72c029da412e"
            + "00060012e3839ee38388e383aae38383e382afe382b90000"
            + "0015001c662f2f3439396b39353464364f4c33346f4c394653547679363473 41".replace(" ", "")
            + "0014000b6578616d706c652e6f726700"
            + "00080014f67024656dd64a3e02b8e0712e85c9a28ca89666");
    static final String LONG_TERM_USER = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void sampleRequestDecodesWithIceAttributes() throws Exception {
        StunMessage m = StunMessage.decode(REQUEST);
        assertEquals(MessageType.request(StunMethod.BINDING), m.type());
        assertEquals("STUN test client", m.text(AttributeType.SOFTWARE));
        assertEquals("evtj:h6vY", m.username());
        assertEquals(0x6e0001ffL, IceAttributes.priority(m).getAsLong());
        assertEquals(0x932ff9b151263b36L, IceAttributes.iceControlled(m).getAsLong());
        assertFalse(IceAttributes.iceControlling(m).isPresent());
        assertFalse(IceAttributes.useCandidate(m));
        assertTrue(MessageIntegrity.check(m, MessageIntegrity.shortTermKey(PASSWORD)));
        assertTrue(Fingerprint.check(m));
    }

    @Test
    void ipv4ResponseDecodesMappedAddress() throws Exception {
        StunMessage m = StunMessage.decode(IPV4_RESPONSE);
        assertEquals(StunClass.SUCCESS_RESPONSE, m.stunClass());
        assertEquals("test vector", m.text(AttributeType.SOFTWARE));
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), m.xorAddress(AttributeType.XOR_MAPPED_ADDRESS));
        assertTrue(MessageIntegrity.check(m, MessageIntegrity.shortTermKey(PASSWORD)));
        assertTrue(Fingerprint.check(m));
    }

    @Test
    void ipv6ResponseDecodesMappedAddress() throws Exception {
        StunMessage m = StunMessage.decode(IPV6_RESPONSE);
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.xorAddress(AttributeType.XOR_MAPPED_ADDRESS));
        assertTrue(MessageIntegrity.check(m, MessageIntegrity.shortTermKey(PASSWORD)));
        assertTrue(Fingerprint.check(m));
    }

    @Test
    void longTermRequestVerifiesWithMd5Key() throws Exception {
        StunMessage m = StunMessage.decode(LONG_TERM_REQUEST);
        assertEquals(LONG_TERM_USER, m.username());
        assertEquals("example.org", m.realm());
        assertEquals("f//499k954d6OL34oL9FSTvy64sA", m.nonce());
        assertFalse(Fingerprint.isPresent(m));
        assertTrue(MessageIntegrity.check(m, MessageIntegrity.longTermKey(LONG_TERM_USER, "example.org", "TheMatrIX")));
    }

    @Test
    void builderEncodesIpv4MappedAddressAsTheVectorDoes() throws Exception {
        StunMessage vector = StunMessage.decode(IPV4_RESPONSE);
        byte[] built = new StunMessageBuilder(vector.type(), vector.transactionId())
                .addText(AttributeType.SOFTWARE, "test vector")
                .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853))
                .addMessageIntegrity(MessageIntegrity.shortTermKey(PASSWORD))
                .addFingerprint()
                .build();
        // SOFTWARE padding differs (the vector pads with a space), so compare the address bytes and the checks
        assertArrayEquals(java.util.Arrays.copyOfRange(IPV4_RESPONSE, 36, 48), java.util.Arrays.copyOfRange(built, 36, 48));
        StunMessage ours = StunMessage.decode(built);
        assertTrue(MessageIntegrity.check(ours, MessageIntegrity.shortTermKey(PASSWORD)));
        assertTrue(Fingerprint.check(ours));
    }

    @Test
    void builderEncodesIpv6MappedAddressAsTheVectorDoes() throws Exception {
        StunMessage vector = StunMessage.decode(IPV6_RESPONSE);
        byte[] built = new StunMessageBuilder(vector.type(), vector.transactionId())
                .addText(AttributeType.SOFTWARE, "test vector")
                .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, vector.xorAddress(AttributeType.XOR_MAPPED_ADDRESS))
                .build();
        assertArrayEquals(java.util.Arrays.copyOfRange(IPV6_RESPONSE, 36, 60), java.util.Arrays.copyOfRange(built, 36, 60));
    }

    @Test
    void builderReproducesLongTermRequestExactly() throws Exception {
        StunMessage vector = StunMessage.decode(LONG_TERM_REQUEST);
        byte[] built = new StunMessageBuilder(vector.type(), vector.transactionId())
                .addText(AttributeType.USERNAME, LONG_TERM_USER)
                .addText(AttributeType.NONCE, "f//499k954d6OL34oL9FSTvy64sA")
                .addText(AttributeType.REALM, "example.org")
                .addMessageIntegrity(MessageIntegrity.longTermKey(LONG_TERM_USER, "example.org", "TheMatrIX"))
                .build();
        assertArrayEquals(LONG_TERM_REQUEST, built);
    }

    /** Corrupted copies of the vectors: each must fail to decode or fail its check. */
    static Stream<Arguments> mustFail() {
        return Stream.of(
                Arguments.of("request, flipped SOFTWARE byte", flip(REQUEST, 25), PASSWORD),
                Arguments.of("request, flipped transaction id", flip(REQUEST, 10), PASSWORD),
                Arguments.of("request, flipped MESSAGE-INTEGRITY", flip(REQUEST, 90), PASSWORD),
                Arguments.of("request, wrong password", REQUEST, "VOkJxbRl1RmTxUk/WvJxBu"),
                Arguments.of("ipv4 response, flipped address", flip(IPV4_RESPONSE, 46), PASSWORD),
                Arguments.of("ipv6 response, flipped address", flip(IPV6_RESPONSE, 50), PASSWORD),
                Arguments.of("ipv6 response, flipped FINGERPRINT", flip(IPV6_RESPONSE, 91), PASSWORD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mustFail")
    void corruptedVectorFailsItsChecks(String name, byte[] bytes, String password) throws Exception {
        StunMessage m = StunMessage.decode(bytes);
        boolean integrity = MessageIntegrity.check(m, MessageIntegrity.shortTermKey(password));
        boolean fingerprint = Fingerprint.check(m);
        assertFalse(integrity && fingerprint, name);
    }

    @Test
    void longTermRequestWithWrongPasswordFails() throws Exception {
        StunMessage m = StunMessage.decode(LONG_TERM_REQUEST);
        // the un-SASLprepped password must not verify
        assertFalse(MessageIntegrity.check(m, MessageIntegrity.longTermKey(LONG_TERM_USER, "example.org", "The\u00ADM\u00AAtr\u2168")));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("truncated by one byte", java.util.Arrays.copyOf(REQUEST, REQUEST.length - 1)),
                Arguments.of("header only, length says more", java.util.Arrays.copyOf(REQUEST, 20)),
                Arguments.of("extra trailing bytes", java.util.Arrays.copyOf(REQUEST, REQUEST.length + 4)),
                Arguments.of("no magic cookie", flip(REQUEST, 5)),
                Arguments.of("top bits set", withByte(REQUEST, 0, 0xC0)),
                Arguments.of("length not multiple of 4", withByte(REQUEST, 3, 0x57)),
                Arguments.of("attribute overruns", withByte(REQUEST, 22, 0x40)),
                Arguments.of("MESSAGE-INTEGRITY wrong length", withByte(REQUEST, 79, 0x10)),
                Arguments.of("empty", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBytesThrowTypedError(String name, byte[] bytes) {
        assertThrows(StunParseException.class, () -> StunMessage.decode(bytes), name);
    }

    static byte[] flip(byte[] b, int index) {
        byte[] c = b.clone();
        c[index] ^= 0x01;
        return c;
    }

    static byte[] withByte(byte[] b, int index, int value) {
        byte[] c = b.clone();
        c[index] = (byte) value;
        return c;
    }
}
