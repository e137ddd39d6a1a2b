package dev.parley.turn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.ErrorCode;
import dev.parley.codec.stun.Fingerprint;
import dev.parley.codec.stun.MessageIntegrity;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import dev.parley.codec.stun.TurnAttributes;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real TurnServer on loopback, driven over UDP by a client written against the codec. */
class TurnServerUdpTest {
    static final String SECRET = "test-secret";
    static final Consumer<StunMessageBuilder> UDP_TRANSPORT = b -> b.add(AttributeType.REQUESTED_TRANSPORT,
            TurnAttributes.requestedTransportValue(TurnAttributes.TRANSPORT_UDP));

    SimpleMeterRegistry registry;
    TurnServer server;
    DatagramSocket peer;

    static TurnSettings settings(boolean allowLoopback) {
        return TurnSettings.defaults().withListen("127.0.0.1", 0, 0, 0)
                .withRelay("127.0.0.1", null, null, 51000, 51999)
                .withAuth("parley.test", SECRET, Map.of("static", "pw"), Duration.ofHours(1), Duration.ofHours(24))
                .withPeers(allowLoopback ? List.of("127.0.0.0/8") : List.of(), List.of())
                .withIoThreads(2);
    }

    void start(TurnSettings settings) throws Exception {
        registry = new SimpleMeterRegistry();
        server = new TurnServer(settings, registry);
        server.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        peer.close();
    }

    static TurnCredentials.Credential credential(String identity) {
        return new TurnCredentials(SECRET, Duration.ofHours(1)).mint(identity);
    }

    TurnTestClient client(String identity) throws Exception {
        TurnCredentials.Credential c = credential(identity);
        return TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password());
    }

    static void assertError(StunMessage response, ErrorCode expected) throws Exception {
        assertEquals(StunClass.ERROR_RESPONSE, response.stunClass(), response.toString());
        assertEquals(expected.code(), response.errorCode().code(), response.errorCode().reason());
    }

    static StunMessage allocate(TurnTestClient c) throws Exception {
        StunMessage r = c.request(StunMethod.ALLOCATE, UDP_TRANSPORT);
        assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass(), () -> r + " " + errorOf(r));
        return r;
    }

    static String errorOf(StunMessage m) {
        try {
            return String.valueOf(m.errorCode());
        } catch (Exception e) {
            return e.toString();
        }
    }

    InetSocketAddress peerAddress() {
        return (InetSocketAddress) peer.getLocalSocketAddress();
    }

    @Test
    void bindingReturnsXorMappedAddressWithFingerprint() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("a")) {
            StunMessage r = c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)).addFingerprint());
            assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
            assertEquals(c.localAddress(), r.xorAddress(AttributeType.XOR_MAPPED_ADDRESS));
            assertTrue(Fingerprint.check(r));
        }
    }

    @Test
    void allocateWithoutCredentialsIsChallengedWithRealmAndNonce() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("a")) {
            StunMessage r = c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE)).add(
                    AttributeType.REQUESTED_TRANSPORT, TurnAttributes.requestedTransportValue(17)));
            assertError(r, ErrorCode.UNAUTHORIZED);
            assertEquals("parley.test", r.realm());
            assertNotNull(r.nonce());
            assertFalse(r.has(AttributeType.MESSAGE_INTEGRITY));
        }
    }

    @Test
    void allocateWithRestCredentialsReturnsRelayAndSignedResponse() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            StunMessage r = allocate(c);
            InetSocketAddress relay = r.xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            assertEquals(InetAddress.getByName("127.0.0.1"), relay.getAddress());
            assertTrue(relay.getPort() >= 51000 && relay.getPort() <= 51999);
            assertEquals(600, TurnAttributes.lifetime(r).getAsInt());
            assertEquals(c.localAddress(), r.xorAddress(AttributeType.XOR_MAPPED_ADDRESS));
            assertTrue(MessageIntegrity.check(r, MessageIntegrity.longTermKey(c.username, "parley.test", c.password)));
            assertEquals(1.0, registry.get("parley.turn.allocations").tag("transport", "udp").gauge().value());
        }
    }

    @Test
    void staticUserCanAllocate() throws Exception {
        start(settings(false));
        try (TurnTestClient c = TurnTestClient.udp(server.udpPort()).credentials("static", "pw")) {
            allocate(c);
        }
    }

    @Test
    void relaysThroughSendIndicationAndDataIndication() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("alice")) {
            InetSocketAddress relay = allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            StunMessage perm = c.request(StunMethod.CREATE_PERMISSION, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()));
            assertEquals(StunClass.SUCCESS_RESPONSE, perm.stunClass());
            byte[] hello = "hello peer".getBytes(StandardCharsets.UTF_8);
            c.sendIndication(StunMethod.SEND, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()).add(AttributeType.DATA, hello));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            peer.receive(p);
            assertArrayEquals(hello, java.util.Arrays.copyOf(p.getData(), p.getLength()));
            assertEquals(relay, p.getSocketAddress());
            byte[] back = "hello client".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(back, back.length, relay));
            StunMessage data = c.receiveStun();
            assertEquals(MessageType.indication(StunMethod.DATA), data.type());
            assertEquals(peerAddress(), data.xorAddress(AttributeType.XOR_PEER_ADDRESS));
            assertArrayEquals(back, data.value(AttributeType.DATA));
        }
    }

    @Test
    void relaysThroughChannelDataBothWays() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("alice")) {
            InetSocketAddress relay = allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            StunMessage bind = c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4001)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()));
            assertEquals(StunClass.SUCCESS_RESPONSE, bind.stunClass());
            byte[] payload = new byte[1000];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
            c.sendRaw(ChannelData.encode(0x4001, payload));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            peer.receive(p);
            assertArrayEquals(payload, java.util.Arrays.copyOf(p.getData(), p.getLength()));
            peer.send(new DatagramPacket(payload, 333, relay));
            byte[] frame = c.receiveRaw();
            ChannelData cd = ChannelData.decode(frame, 0, frame.length);
            assertEquals(0x4001, cd.channelNumber());
            assertArrayEquals(java.util.Arrays.copyOf(payload, 333), java.util.Arrays.copyOfRange(frame, 4, 4 + cd.dataLength()));
            assertEquals(1000.0, registry.get("parley.turn.relayed.bytes").tag("direction", "to_peer").counter().count());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0"})
    void udpAllocationsAreSpreadOverTheLoopsAndRelayFromTheirOwnLoop(String listen) throws Exception {
        // two loops; round robin puts consecutive allocations on different loops whatever listener socket
        // the kernel's SO_REUSEPORT hash chose, and each gets a socket connected to its client on its loop,
        // bound to the address the client sent to (learnt per datagram on a wildcard listener)
        start(settings(true).withListen(listen, 0, -1, -1));
        try (TurnTestClient a = client("a"); TurnTestClient b = client("b")) {
            InetSocketAddress relayA = allocate(a).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            allocate(b);
            Allocation first = server.allocations().findUdp(a.localAddress());
            Allocation second = server.allocations().findUdp(b.localAddress());
            assertFalse(first.loop == second.loop, "both allocations on one event loop");
            assertEquals(StunClass.SUCCESS_RESPONSE, a.request(StunMethod.CHANNEL_BIND, x -> x.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4001)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress())).stunClass());
            // the connect was queued on the allocation's loop before this ChannelBind was handled there: the socket is up
            assertTrue(first.client.channel().isActive() && first.client.channel().eventLoop() == first.loop
                    && first.client.channel().remoteAddress() != null, () -> "client socket " + first.client.channel());
            assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.udpPort()),
                    TurnTestClient.plainAddress((InetSocketAddress) first.client.channel().localAddress()));
            a.sendRaw(ChannelData.encode(0x4001, new byte[] {1, 2}));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            peer.receive(p);
            assertArrayEquals(new byte[] {1, 2}, java.util.Arrays.copyOf(p.getData(), p.getLength()));
            peer.send(new DatagramPacket(new byte[] {3}, 1, relayA));
            byte[] frame = a.receiveRaw();
            assertArrayEquals(ChannelData.encode(0x4001, new byte[] {3}), frame);
        }
    }

    @Test
    void bandwidthCapDropsWhatExceedsTheAllocationBudget() throws Exception {
        // 100 bytes/s with one second of burst: a 50-byte packet fits, a 200-byte packet never can
        start(settings(true).withQuotas(100, 10, 64, 8, 100));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            assertEquals(StunClass.SUCCESS_RESPONSE, c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4001)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress())).stunClass());
            c.sendRaw(ChannelData.encode(0x4001, new byte[200]));
            c.sendRaw(ChannelData.encode(0x4001, new byte[50]));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            peer.receive(p);
            assertEquals(50, p.getLength());
            awaitCount("parley.turn.dropped", "reason", "bandwidth", 1);
        }
    }

    @Test
    void peerWithoutPermissionIsNotRelayed() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("alice")) {
            InetSocketAddress relay = allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            peer.send(new DatagramPacket(new byte[10], 10, relay));
            // a Binding round trip after the datagram proves the server already handled it
            StunMessage r = c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)));
            assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
            awaitCount("parley.turn.dropped", "reason", "no_permission", 1);
        }
    }

    void awaitCount(String name, String tag, String value, double atLeast) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            var counter = registry.find(name).tag(tag, value).counter();
            if (counter != null && counter.count() >= atLeast) return;
            Thread.sleep(10);
        }
        throw new AssertionError(name + "{" + tag + "=" + value + "} never reached " + atLeast);
    }

    @Test
    void expiredRestCredentialIsRefused() throws Exception {
        start(settings(false));
        String username = (System.currentTimeMillis() / 1000 - 10) + ":old";
        try (TurnTestClient c = TurnTestClient.udp(server.udpPort()).credentials(username, TurnCredentials.password(SECRET, username))) {
            assertError(c.request(StunMethod.ALLOCATE, UDP_TRANSPORT), ErrorCode.UNAUTHORIZED);
            assertEquals(1.0, registry.get("parley.turn.auth.failures").tag("reason", "expired").counter().count());
        }
    }

    @Test
    void restCredentialBeyondTheExpiryCapIsRefused() throws Exception {
        start(settings(false));
        String username = (System.currentTimeMillis() / 1000 + Duration.ofDays(30).toSeconds()) + ":greedy";
        try (TurnTestClient c = TurnTestClient.udp(server.udpPort()).credentials(username, TurnCredentials.password(SECRET, username))) {
            assertError(c.request(StunMethod.ALLOCATE, UDP_TRANSPORT), ErrorCode.UNAUTHORIZED);
            assertEquals(1.0, registry.get("parley.turn.auth.failures").tag("reason", "expiry_too_far").counter().count());
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            c.password = "not-it";
            assertError(c.request(StunMethod.ALLOCATE, UDP_TRANSPORT), ErrorCode.UNAUTHORIZED);
            assertEquals(1.0, registry.get("parley.turn.auth.failures").tag("reason", "bad_integrity").counter().count());
        }
    }

    @Test
    void forgedNonceGetsStaleNonce() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            c.realm = "parley.test";
            c.nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAA";
            StunMessageBuilder b = StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE));
            UDP_TRANSPORT.accept(b);
            b.addText(AttributeType.USERNAME, c.username).addText(AttributeType.REALM, c.realm).addText(AttributeType.NONCE, c.nonce)
                    .addMessageIntegrity(MessageIntegrity.longTermKey(c.username, c.realm, c.password));
            StunMessage r = c.plain(b);
            assertError(r, ErrorCode.STALE_NONCE);
            assertNotNull(r.nonce());
        }
    }

    @Test
    void missingUsernameWithIntegrityIsBadRequest() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            StunMessageBuilder b = StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE));
            UDP_TRANSPORT.accept(b);
            b.addMessageIntegrity(new byte[16]);
            assertError(c.plain(b), ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void differentUsernameOnTheSameFiveTupleGets441() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            TurnCredentials.Credential other = credential("mallory");
            c.credentials(other.username(), other.password());
            assertError(c.request(StunMethod.REFRESH, b -> { }), ErrorCode.WRONG_CREDENTIALS);
        }
    }

    @Test
    void secondAllocateOnTheSameFiveTupleGets437() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            assertError(c.request(StunMethod.ALLOCATE, UDP_TRANSPORT), ErrorCode.ALLOCATION_MISMATCH);
        }
    }

    @Test
    void refreshWithoutAllocationGets437() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.REFRESH, b -> { }), ErrorCode.ALLOCATION_MISMATCH);
            assertError(c.request(StunMethod.CREATE_PERMISSION, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    new InetSocketAddress("8.8.8.8", 1))), ErrorCode.ALLOCATION_MISMATCH);
        }
    }

    @Test
    void refreshWithZeroLifetimeDeletesTheAllocation() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            StunMessage r = c.request(StunMethod.REFRESH, b -> b.addUint32(AttributeType.LIFETIME, 0));
            assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
            assertEquals(0, TurnAttributes.lifetime(r).getAsInt());
            assertError(c.request(StunMethod.REFRESH, b -> { }), ErrorCode.ALLOCATION_MISMATCH);
        }
    }

    @Test
    void refreshCapsLifetimeAtOneHour() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            StunMessage r = c.request(StunMethod.REFRESH, b -> b.addUint32(AttributeType.LIFETIME, 99_999));
            assertEquals(3600, TurnAttributes.lifetime(r).getAsInt());
        }
    }

    @Test
    void missingRequestedTransportIsBadRequest() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.ALLOCATE, b -> { }), ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void unknownTransportGets442() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.ALLOCATE, b -> b.add(AttributeType.REQUESTED_TRANSPORT,
                    TurnAttributes.requestedTransportValue(99))), ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
        }
    }

    @Test
    void tcpRelayOverUdpIsBadRequest() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.ALLOCATE, b -> b.add(AttributeType.REQUESTED_TRANSPORT,
                    TurnAttributes.requestedTransportValue(6))), ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            StunMessage r = c.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.addUint32(0x7ABC, 1);
            });
            assertError(r, ErrorCode.UNKNOWN_ATTRIBUTE);
            assertArrayEquals(new byte[] {0x7A, (byte) 0xBC}, r.value(AttributeType.UNKNOWN_ATTRIBUTES));
        }
    }

    @Test
    void evenPortWithReservationHandsTheNextPortToTheTokenHolder() throws Exception {
        start(settings(false));
        try (TurnTestClient rtp = client("alice"); TurnTestClient rtcp = client("alice")) {
            StunMessage first = rtp.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.add(AttributeType.EVEN_PORT, new byte[] {(byte) 0x80});
            });
            assertEquals(StunClass.SUCCESS_RESPONSE, first.stunClass(), () -> errorOf(first));
            int port = first.xorAddress(AttributeType.XOR_RELAYED_ADDRESS).getPort();
            assertEquals(0, port % 2);
            byte[] token = first.value(AttributeType.RESERVATION_TOKEN);
            assertEquals(8, token.length);
            StunMessage second = rtcp.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.add(AttributeType.RESERVATION_TOKEN, token);
            });
            assertEquals(StunClass.SUCCESS_RESPONSE, second.stunClass(), () -> errorOf(second));
            assertEquals(port + 1, second.xorAddress(AttributeType.XOR_RELAYED_ADDRESS).getPort());
        }
    }

    @Test
    void unknownReservationTokenGets508() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.add(AttributeType.RESERVATION_TOKEN, new byte[8]);
            }), ErrorCode.INSUFFICIENT_CAPACITY);
        }
    }

    @Test
    void evenPortWithoutReservationGetsAnEvenPort() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            StunMessage r = c.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.add(AttributeType.EVEN_PORT, new byte[] {0});
            });
            assertEquals(0, r.xorAddress(AttributeType.XOR_RELAYED_ADDRESS).getPort() % 2, r::toString);
        }
    }

    @Test
    void evenPortTogetherWithReservationTokenIsBadRequest() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.add(AttributeType.EVEN_PORT, new byte[] {0});
                b.add(AttributeType.RESERVATION_TOKEN, new byte[8]);
            }), ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void requestWithBadFingerprintIsIgnored() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            byte[] bytes = StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)).addFingerprint().build();
            bytes[bytes.length - 1] ^= 1;
            c.sendRaw(bytes);
            assertTrue(c.staysSilent());
        }
    }

    @Test
    void garbageDatagramsLeaveTheServerServing() throws Exception {
        start(settings(true));
        java.util.Random random = new java.util.Random(42);
        byte[] valid = StunMessageBuilder.create(MessageType.request(StunMethod.ALLOCATE))
                .add(AttributeType.REQUESTED_TRANSPORT, TurnAttributes.requestedTransportValue(17)).addFingerprint().build();
        try (TurnTestClient c = client("alice")) {
            for (int i = 0; i < 2000; i++) {
                byte[] junk;
                if (i % 2 == 0) {
                    junk = new byte[random.nextInt(200)];
                    random.nextBytes(junk);
                    if (junk.length > 0 && i % 4 == 0) junk[0] = (byte) (0x40 | (junk[0] & 0x3F)); // ChannelData-looking
                } else {
                    junk = valid.clone();
                    junk[random.nextInt(junk.length)] = (byte) random.nextInt();
                }
                c.sendRaw(junk);
            }
            StunMessage r = c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)));
            assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
            allocate(c);
        }
    }

    @Test
    void ipv6RelayWithoutIpv6AddressGets440() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            assertError(c.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.add(AttributeType.REQUESTED_ADDRESS_FAMILY, new byte[] {2, 0, 0, 0});
            }), ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
        }
    }

    @Test
    void ipv6PeerOnIpv4RelayGets443() throws Exception {
        start(settings(false));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            assertError(c.request(StunMethod.CREATE_PERMISSION, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    new InetSocketAddress("2001:4860:4860::8888", 53))), ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
        }
    }

    @Test
    void perUserQuotaGets486() throws Exception {
        start(settings(false).withQuotas(100, 1, 64, 8, 0));
        TurnCredentials.Credential shared = credential("alice");
        try (TurnTestClient a = TurnTestClient.udp(server.udpPort()).credentials(shared.username(), shared.password());
             TurnTestClient b = TurnTestClient.udp(server.udpPort()).credentials(shared.username(), shared.password())) {
            allocate(a);
            assertError(b.request(StunMethod.ALLOCATE, UDP_TRANSPORT), ErrorCode.ALLOCATION_QUOTA_REACHED);
        }
    }

    @Test
    void totalCapacityGets508() throws Exception {
        start(settings(false).withQuotas(1, 10, 64, 8, 0));
        try (TurnTestClient a = client("alice"); TurnTestClient b = client("bob")) {
            allocate(a);
            assertError(b.request(StunMethod.ALLOCATE, UDP_TRANSPORT), ErrorCode.INSUFFICIENT_CAPACITY);
        }
    }

    @Test
    void channelNumberOutsideRangeIsBadRequest() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            assertError(c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x5000)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress())),
                    ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void rebindingAChannelToAnotherPeerIsBadRequest() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            assertEquals(StunClass.SUCCESS_RESPONSE, c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4000)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress())).stunClass());
            assertError(c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4000)).addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    new InetSocketAddress("127.0.0.1", 9))), ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void permissionTableIsCapped() throws Exception {
        start(settings(true).withQuotas(100, 10, 2, 8, 0));
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            for (int i = 1; i <= 2; i++) {
                String ip = "127.0.0." + i;
                assertEquals(StunClass.SUCCESS_RESPONSE, c.request(StunMethod.CREATE_PERMISSION,
                        b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress(ip, 9))).stunClass());
            }
            assertError(c.request(StunMethod.CREATE_PERMISSION, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    new InetSocketAddress("127.0.0.3", 9))), ErrorCode.INSUFFICIENT_CAPACITY);
        }
    }

    /** Every deny-list case of the issue, on CreatePermission and ChannelBind. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "224.0.0.1", "239.255.255.250", "0.0.0.0", "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
            "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
            "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe"})
    void deniedPeerGets403OnEveryRequestPath(String address) throws Exception {
        start(settings(false));
        InetAddress ip = address.startsWith("::ffff:") ? java.net.Inet6Address.getByAddress(null,
                InetAddress.getByName(address.substring(7)).getAddress().length == 4
                        ? mapped(InetAddress.getByName(address.substring(7)).getAddress()) : null, -1) : InetAddress.getByName(address);
        InetSocketAddress peerAddr = new InetSocketAddress(ip, 5000);
        try (TurnTestClient c = client("alice")) {
            allocate(c);
            assertError(c.request(StunMethod.CREATE_PERMISSION, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddr)),
                    ErrorCode.FORBIDDEN);
            assertError(c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4002)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddr)), ErrorCode.FORBIDDEN);
            c.sendIndication(StunMethod.SEND, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddr).add(AttributeType.DATA, new byte[4]));
            c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)));
            awaitCount("parley.turn.dropped", "reason", "denied_peer", 1);
        }
    }

    static byte[] mapped(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xFF;
        a[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }

    @Test
    void metricsCarryNoUsernames() throws Exception {
        start(settings(true));
        try (TurnTestClient c = client("secret-identity")) {
            allocate(c);
            c.password = "wrong";
            c.nonce = null;
            c.request(StunMethod.REFRESH, b -> { });
        }
        for (Meter m : registry.getMeters()) {
            m.getId().getTags().forEach(t -> assertFalse(t.getValue().contains("secret-identity"), m.getId().toString()));
        }
    }
}
