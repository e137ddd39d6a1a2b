package dev.parley.turn;

import static dev.parley.turn.TurnServerUdpTest.UDP_TRANSPORT;
import static dev.parley.turn.TurnServerUdpTest.allocate;
import static dev.parley.turn.TurnServerUdpTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.ErrorCode;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import dev.parley.codec.stun.TurnAttributes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lifetimes (RFC 8656: allocations §7 default 10 min and at most 1 h, permissions §9 5 min,
 * channels §12 10 min) on a server whose clock the test moves by hand: nothing sleeps for
 * minutes and nothing asserts on timing. "Not relayed" is read from the drop counters after a
 * Binding round trip on the same socket has shown the server handled the packet.
 */
class TurnLifetimeTest {
    static final int CHANNEL = 0x4001;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private SimpleMeterRegistry registry;
    private TurnServer server;
    private DatagramSocket peer;

    @BeforeEach
    void setUp() throws Exception {
        peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
        registry = new SimpleMeterRegistry();
        server = new TurnServer(TurnServerUdpTest.settings(true), registry, nanos::get);
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.close();
        peer.close();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    TurnTestClient client() throws Exception {
        TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
        return TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password());
    }

    InetSocketAddress peerAddress() {
        return (InetSocketAddress) peer.getLocalSocketAddress();
    }

    /** A Binding request answered after {@code c}'s earlier datagrams: the server has handled them. */
    static void roundTrip(TurnTestClient c) throws Exception {
        assertEquals(StunClass.SUCCESS_RESPONSE, c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING))).stunClass());
    }

    double count(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Drop counters are updated on the server's loop; wait (bounded) for the expected count, never for time. */
    void awaitDropped(String reason, double atLeast) throws InterruptedException {
        for (int i = 0; i < 1500 && count("parley.turn.dropped", "reason", reason) < atLeast; i++) Thread.sleep(10);
        assertEquals(atLeast, count("parley.turn.dropped", "reason", reason), "dropped{reason=" + reason + "}");
    }

    void bindChannel(TurnTestClient c) throws Exception {
        StunMessage r = c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                TurnAttributes.channelNumberValue(CHANNEL)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()));
        assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
    }

    StunMessage refresh(TurnTestClient c, int lifetime) throws Exception {
        return c.request(StunMethod.REFRESH, b -> b.addUint32(AttributeType.LIFETIME, lifetime));
    }

    void createPermission(TurnTestClient c) throws Exception {
        StunMessage r = c.request(StunMethod.CREATE_PERMISSION, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()));
        assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
    }

    /** Client → peer over the channel must arrive, byte for byte. */
    void assertChannelRelays(TurnTestClient c, byte marker) throws Exception {
        byte[] payload = {marker, 1, 2, 3};
        c.sendRaw(ChannelData.encode(CHANNEL, payload));
        DatagramPacket p = new DatagramPacket(new byte[100], 100);
        peer.receive(p);
        assertArrayEquals(payload, Arrays.copyOf(p.getData(), p.getLength()));
    }

    double allocationsGauge() {
        return registry.get("parley.turn.allocations").tag("transport", "udp").gauge().value();
    }

    @Test
    void allocationWithTheDefaultLifetimeIsGoneAfterTenMinutes() throws Exception {
        try (TurnTestClient c = client()) {
            assertEquals(600, TurnAttributes.lifetime(allocate(c)).getAsInt());
            bindChannel(c);
            advance(Duration.ofMinutes(9));
            createPermission(c); // the channel's permission lasts 5 minutes: renew it, but not the allocation
            advance(Duration.ofSeconds(59));
            assertChannelRelays(c, (byte) 1); // still alive one second before the end
            advance(Duration.ofSeconds(1));
            c.sendRaw(ChannelData.encode(CHANNEL, new byte[] {2}));
            roundTrip(c);
            awaitDropped("no_channel", 1);
            assertEquals(0.0, allocationsGauge());
            // RFC 8656 §7.3: a Refresh for an allocation that no longer exists gets 437
            assertError(refresh(c, 600), ErrorCode.ALLOCATION_MISMATCH);
            // and the 5-tuple may allocate afresh
            assertEquals(StunClass.SUCCESS_RESPONSE, c.request(StunMethod.ALLOCATE, UDP_TRANSPORT).stunClass());
        }
    }

    @Test
    void refreshMovesTheDeadline() throws Exception {
        try (TurnTestClient c = client()) {
            allocate(c);
            advance(Duration.ofMinutes(8));
            assertEquals(600, TurnAttributes.lifetime(refresh(c, 600)).getAsInt());
            advance(Duration.ofMinutes(8)); // 16 min after the Allocate, 8 after the Refresh
            createPermission(c);
            assertEquals(1.0, allocationsGauge());
            advance(Duration.ofMinutes(2));
            assertError(refresh(c, 600), ErrorCode.ALLOCATION_MISMATCH);
        }
    }

    @Test
    void lifetimeIsCappedAtOneHour() throws Exception {
        try (TurnTestClient c = client()) {
            StunMessage r = c.request(StunMethod.ALLOCATE, b -> {
                UDP_TRANSPORT.accept(b);
                b.addUint32(AttributeType.LIFETIME, 86_400);
            });
            assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
            assertEquals(3600, TurnAttributes.lifetime(r).getAsInt());
            advance(Duration.ofMinutes(59));
            assertEquals(3600, TurnAttributes.lifetime(refresh(c, 86_400)).getAsInt());
            advance(Duration.ofMinutes(60));
            assertError(refresh(c, 600), ErrorCode.ALLOCATION_MISMATCH);
        }
    }

    @Test
    void expiredAllocationDropsWhatThePeerSends() throws Exception {
        try (TurnTestClient c = client()) {
            InetSocketAddress relay = allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            createPermission(c);
            advance(Duration.ofMinutes(10));
            peer.send(new DatagramPacket(new byte[] {7}, 1, relay));
            // the relay socket is closed with the allocation, or the datagram is dropped on arrival: either way nothing arrives
            for (int i = 0; i < 1500 && allocationsGauge() != 0.0; i++) Thread.sleep(10);
            assertEquals(0.0, allocationsGauge());
            assertEquals(0.0, count("parley.turn.relayed.packets", "direction", "to_client"));
        }
    }

    @Test
    void permissionExpiresAfterFiveMinutesAndStopsRelayingBothWays() throws Exception {
        try (TurnTestClient c = client()) {
            InetSocketAddress relay = allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            createPermission(c);
            byte[] hello = {1, 2, 3};
            advance(Duration.ofMinutes(5).minusSeconds(1));
            c.sendIndication(StunMethod.SEND, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()).add(AttributeType.DATA, hello));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            peer.receive(p);
            assertArrayEquals(hello, Arrays.copyOf(p.getData(), p.getLength()));

            advance(Duration.ofSeconds(1));
            c.sendIndication(StunMethod.SEND, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress()).add(AttributeType.DATA, hello));
            roundTrip(c);
            awaitDropped("no_permission", 1);
            peer.send(new DatagramPacket(new byte[] {9}, 1, relay));
            awaitDropped("no_permission", 2);
            assertEquals(0.0, count("parley.turn.relayed.packets", "direction", "to_client"));

            // a new CreatePermission opens the path again
            createPermission(c);
            peer.send(new DatagramPacket(new byte[] {9}, 1, relay));
            StunMessage data = c.receiveStun();
            assertEquals(MessageType.indication(StunMethod.DATA), data.type());
            assertArrayEquals(new byte[] {9}, data.value(AttributeType.DATA));
        }
    }

    @Test
    void channelExpiresAfterTenMinutesWhileItsPermissionIsKeptFresh() throws Exception {
        try (TurnTestClient c = client()) {
            InetSocketAddress relay = allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            bindChannel(c);
            advance(Duration.ofMinutes(4));
            createPermission(c); // permission now lasts until minute 9
            assertEquals(600, TurnAttributes.lifetime(refresh(c, 600)).getAsInt()); // allocation until minute 14
            advance(Duration.ofMinutes(4));
            createPermission(c); // until minute 13
            advance(Duration.ofMinutes(2).minusSeconds(1));
            assertChannelRelays(c, (byte) 5); // minute 9:59, the channel still works

            advance(Duration.ofSeconds(1)); // minute 10: the binding is gone, the permission is not
            c.sendRaw(ChannelData.encode(CHANNEL, new byte[] {6}));
            roundTrip(c);
            awaitDropped("no_channel", 1);
            // the peer's data now comes as a Data indication, not as ChannelData (RFC 8656 §11.3)
            peer.send(new DatagramPacket(new byte[] {8}, 1, relay));
            StunMessage data = c.receiveStun();
            assertEquals(MessageType.indication(StunMethod.DATA), data.type());
            assertArrayEquals(new byte[] {8}, data.value(AttributeType.DATA));
            assertEquals(0.0, registry.get("parley.turn.channels").gauge().value());
        }
    }

    @Test
    void expiredChannelNumberMayBeBoundToAnotherPeer() throws Exception {
        try (TurnTestClient c = client(); DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            allocate(c);
            bindChannel(c);
            InetSocketAddress otherAddress = (InetSocketAddress) other.getLocalSocketAddress();
            StunMessage refused = c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(CHANNEL)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, otherAddress));
            assertError(refused, ErrorCode.BAD_REQUEST);
            advance(Duration.ofMinutes(9));
            assertEquals(600, TurnAttributes.lifetime(refresh(c, 600)).getAsInt());
            advance(Duration.ofMinutes(1));
            StunMessage rebound = c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(CHANNEL)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, otherAddress));
            assertEquals(StunClass.SUCCESS_RESPONSE, rebound.stunClass());
            other.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
            c.sendRaw(ChannelData.encode(CHANNEL, new byte[] {4, 2}));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            other.receive(p);
            assertArrayEquals(new byte[] {4, 2}, Arrays.copyOf(p.getData(), p.getLength()));
        }
    }
}
