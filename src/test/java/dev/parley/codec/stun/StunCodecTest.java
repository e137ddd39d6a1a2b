package dev.parley.codec.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StunCodecTest {
    @ParameterizedTest
    @ValueSource(ints = {StunMethod.BINDING, StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.SEND, StunMethod.DATA,
            StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND, StunMethod.CONNECT, StunMethod.CONNECTION_BIND,
            StunMethod.CONNECTION_ATTEMPT, 0xFFF})
    void messageTypeRoundTripsForEveryClass(int method) {
        for (StunClass c : StunClass.values()) {
            MessageType t = new MessageType(method, c);
            assertEquals(t, MessageType.decode(t.encode()));
        }
    }

    @Test
    void wellKnownTypeValuesMatchTheRfc() {
        assertEquals(0x0001, MessageType.request(StunMethod.BINDING).encode());
        assertEquals(0x0101, MessageType.success(StunMethod.BINDING).encode());
        assertEquals(0x0113, MessageType.error(StunMethod.ALLOCATE).encode());
        assertEquals(0x0016, MessageType.indication(StunMethod.SEND).encode());
        assertEquals(0x0017, MessageType.indication(StunMethod.DATA).encode());
        assertEquals(0x001C, MessageType.indication(StunMethod.CONNECTION_ATTEMPT).encode());
    }

    @Test
    void turnRequestRoundTrips() throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 4242);
        byte[] key = MessageIntegrity.longTermKey("1700000000:alice", "parley", "secret");
        byte[] bytes = StunMessageBuilder.create(MessageType.request(StunMethod.CHANNEL_BIND))
                .add(AttributeType.CHANNEL_NUMBER, TurnAttributes.channelNumberValue(0x4001))
                .addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)
                .addUint32(AttributeType.LIFETIME, 600)
                .add(AttributeType.REQUESTED_TRANSPORT, TurnAttributes.requestedTransportValue(TurnAttributes.TRANSPORT_UDP))
                .addText(AttributeType.USERNAME, "1700000000:alice")
                .addMessageIntegrity(key)
                .addMessageIntegritySha256(key)
                .addFingerprint()
                .build();
        StunMessage m = StunMessage.decode(bytes);
        assertEquals(0x4001, TurnAttributes.channelNumber(m).getAsInt());
        assertEquals(peer, m.xorAddress(AttributeType.XOR_PEER_ADDRESS));
        assertEquals(600, TurnAttributes.lifetime(m).getAsInt());
        assertEquals(17, TurnAttributes.requestedTransport(m).getAsInt());
        assertTrue(MessageIntegrity.check(m, key));
        assertTrue(MessageIntegritySha256.check(m, key));
        assertTrue(Fingerprint.check(m));
        assertFalse(MessageIntegritySha256.check(m, MessageIntegrity.longTermKey("x", "parley", "secret")));
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnored() throws Exception {
        byte[] key = MessageIntegrity.shortTermKey("pw");
        byte[] bytes = StunMessageBuilder.create(MessageType.request(StunMethod.BINDING))
                .addText(AttributeType.USERNAME, "a:b")
                .addMessageIntegrity(key)
                .addText(AttributeType.REALM, "injected")
                .addUint32(AttributeType.PRIORITY, 7)
                .addFingerprint()
                .build();
        StunMessage m = StunMessage.decode(bytes);
        assertTrue(MessageIntegrity.check(m, key));
        assertNull(m.realm());
        assertFalse(m.has(AttributeType.PRIORITY));
        assertTrue(Fingerprint.check(m));
    }

    @Test
    void attributeAfterFingerprintIsAParseError() {
        byte[] bytes = StunMessageBuilder.create(MessageType.request(StunMethod.BINDING))
                .addFingerprint().addText(AttributeType.SOFTWARE, "x").build();
        assertThrows(StunParseException.class, () -> StunMessage.decode(bytes));
    }

    @Test
    void ipv4MappedPeerStaysIpv6Family() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1}, -1);
        byte[] bytes = StunMessageBuilder.create(MessageType.request(StunMethod.CREATE_PERMISSION))
                .addXorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress(mapped, 9)).build();
        InetSocketAddress decoded = StunMessage.decode(bytes).xorAddress(AttributeType.XOR_PEER_ADDRESS);
        assertInstanceOf(Inet6Address.class, decoded.getAddress());
        assertArrayEquals(mapped.getAddress(), decoded.getAddress().getAddress());
    }

    @Test
    void errorCodeRoundTrips() throws Exception {
        StunMessage request = StunMessage.decode(StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE)).build());
        byte[] bytes = StunMessageBuilder.errorResponse(request, ErrorCode.WRONG_CREDENTIALS).build();
        StunMessage m = StunMessage.decode(bytes);
        assertEquals(StunClass.ERROR_RESPONSE, m.stunClass());
        assertEquals(ErrorCode.WRONG_CREDENTIALS, m.errorCode());
        assertTrue(m.hasTransactionId(request.transactionId()));
    }

    @Test
    void unknownComprehensionRequiredAttributesAreListed() throws Exception {
        StunMessage m = StunMessage.decode(StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE))
                .addUint32(0x7777, 1).addUint32(0x8777, 1).addUint32(AttributeType.LIFETIME, 1).build());
        assertEquals(List.of(0x7777), m.unknownComprehensionRequired(t -> t == AttributeType.LIFETIME));
    }

    @Test
    void channelDataFramesAndParses() throws Exception {
        byte[] frame = ChannelData.encode(0x4ABC, new byte[] {1, 2, 3});
        ChannelData cd = ChannelData.decode(frame, 0, frame.length);
        assertEquals(0x4ABC, cd.channelNumber());
        assertEquals(3, cd.dataLength());
        assertEquals(8, ChannelData.streamFrameLength(3));
        assertTrue(ChannelData.looksLikeChannelData(frame[0] & 0xFF));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3FFF, 0x5000, 0x7FFF, 0x0000})
    void channelNumbersOutsideTheTurnRangeAreRejected(int channel) {
        byte[] frame = {(byte) (channel >> 8), (byte) channel, 0, 0};
        assertThrows(StunParseException.class, () -> ChannelData.decode(frame, 0, 4));
    }

    @Test
    void channelDataLongerThanFrameIsRejected() {
        byte[] frame = {0x40, 0x00, 0x00, 0x09, 1, 2, 3, 4};
        assertThrows(StunParseException.class, () -> ChannelData.decode(frame, 0, frame.length));
    }

    @Test
    void wrongLengthNumericAttributeIsATypedError() throws Exception {
        StunMessage m = StunMessage.decode(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING))
                .add(AttributeType.PRIORITY, new byte[] {1, 2}).add(AttributeType.ICE_CONTROLLING, new byte[] {1}).build());
        assertThrows(StunParseException.class, () -> IceAttributes.priority(m));
        assertThrows(StunParseException.class, () -> IceAttributes.iceControlling(m));
    }

    @Test
    void looksLikeStunSeparatesStunFromOtherTraffic() {
        byte[] stun = StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)).build();
        assertTrue(StunMessage.looksLikeStun(stun, 0, stun.length));
        assertFalse(StunMessage.looksLikeStun(new byte[] {(byte) 0x80, 0, 0, 0}, 0, 4));
        assertFalse(StunMessage.looksLikeStun(ChannelData.encode(0x4000, new byte[20]), 0, 24));
    }
}
