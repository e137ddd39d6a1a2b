package dev.parley.turn;

import static dev.parley.turn.TurnServerUdpTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TURN over TCP and TLS listeners, and RFC 6062 TCP relays, against a real TurnServer on loopback. */
class TurnServerStreamTest {
    static final Consumer<StunMessageBuilder> TCP_TRANSPORT = b -> b.add(AttributeType.REQUESTED_TRANSPORT,
            TurnAttributes.requestedTransportValue(TurnAttributes.TRANSPORT_TCP));

    TurnServer server;
    SimpleMeterRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = new SimpleMeterRegistry();
        server = new TurnServer(TurnServerUdpTest.settings(true), registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    TurnTestClient tcpClient(String identity) throws Exception {
        TurnCredentials.Credential c = TurnServerUdpTest.credential(identity);
        return TurnTestClient.tcp(server.tcpPort()).credentials(c.username(), c.password());
    }

    @Test
    void bindingWorksOverTcp() throws Exception {
        try (TurnTestClient c = tcpClient("a")) {
            StunMessage r = c.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)));
            assertEquals(c.localAddress(), r.xorAddress(AttributeType.XOR_MAPPED_ADDRESS));
        }
    }

    @Test
    void udpRelayOverTcpCarriesPaddedChannelData() throws Exception {
        try (TurnTestClient c = tcpClient("alice"); DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
            InetSocketAddress relay = TurnServerUdpTest.allocate(c).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(StunClass.SUCCESS_RESPONSE, c.request(StunMethod.CHANNEL_BIND, b -> b.add(AttributeType.CHANNEL_NUMBER,
                    TurnAttributes.channelNumberValue(0x4FFF)).addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)).stunClass());
            byte[] five = {1, 2, 3, 4, 5};
            byte[] frame = new byte[ChannelData.streamFrameLength(5)];
            ChannelData.writeHeader(frame, 0, 0x4FFF, 5);
            System.arraycopy(five, 0, frame, 4, 5);
            c.sendRaw(frame);
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            peer.receive(p);
            assertArrayEquals(five, java.util.Arrays.copyOf(p.getData(), p.getLength()));
            peer.send(new DatagramPacket(new byte[] {9, 8, 7}, 3, relay));
            byte[] back = c.receiveRaw();
            assertEquals(8, back.length, "ChannelData over TCP is padded to 4");
            assertEquals(3, ChannelData.decode(back, 0, back.length).dataLength());
        }
    }

    @Test
    void allocateWorksOverTlsWithTheDevCertificate() throws Exception {
        TurnCredentials.Credential cred = TurnServerUdpTest.credential("alice");
        try (TurnTestClient c = TurnTestClient.tls(server.tlsPort()).credentials(cred.username(), cred.password())) {
            StunMessage r = TurnServerUdpTest.allocate(c);
            assertTrue(r.has(AttributeType.XOR_RELAYED_ADDRESS));
        }
    }

    @Test
    void closingTheTcpConnectionReleasesTheAllocation() throws Exception {
        try (TurnTestClient c = tcpClient("alice")) {
            TurnServerUdpTest.allocate(c);
            assertEquals(1.0, registry.get("parley.turn.allocations").tag("transport", "udp").gauge().value());
        }
        for (int i = 0; i < 1500 && registry.get("parley.turn.allocations").tag("transport", "udp").gauge().value() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0.0, registry.get("parley.turn.allocations").tag("transport", "udp").gauge().value());
    }

    @Test
    void rfc6062ConnectThenConnectionBindSplicesBytes() throws Exception {
        try (TurnTestClient control = tcpClient("alice"); ServerSocket peerListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StunMessage allocation = control.request(StunMethod.ALLOCATE, TCP_TRANSPORT);
            assertEquals(StunClass.SUCCESS_RESPONSE, allocation.stunClass());
            InetSocketAddress peerAddress = (InetSocketAddress) peerListener.getLocalSocketAddress();
            StunMessage connect = control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress));
            assertEquals(StunClass.SUCCESS_RESPONSE, connect.stunClass(), () -> TurnServerUdpTest.errorOf(connect));
            long connectionId = connect.uint32(AttributeType.CONNECTION_ID);
            try (Socket peer = peerListener.accept(); TurnTestClient data = tcpClient("alice")) {
                data.credentials(control.username, control.password);
                StunMessage bind = data.request(StunMethod.CONNECTION_BIND, b -> b.addUint32(AttributeType.CONNECTION_ID, connectionId));
                assertEquals(StunClass.SUCCESS_RESPONSE, bind.stunClass(), () -> TurnServerUdpTest.errorOf(bind));
                assertEquals(((InetSocketAddress) peer.getRemoteSocketAddress()).getAddress(),
                        allocation.xorAddress(AttributeType.XOR_RELAYED_ADDRESS).getAddress(), "connects from the relay address");
                byte[] hello = "raw bytes, no framing".getBytes(StandardCharsets.UTF_8);
                data.socket().getOutputStream().write(hello);
                assertArrayEquals(hello, readN(peer.getInputStream(), hello.length));
                peer.getOutputStream().write(hello);
                assertArrayEquals(hello, readN(data.socket().getInputStream(), hello.length));
            }
        }
    }

    @Test
    void rfc6062RelayIsHeldToTheBandwidthCapWithoutLosingBytes() throws Exception {
        // 1000 bytes/s with one second of burst: after 4000 bytes the reader owes 3 s, so reads pause (counted);
        // TCP bytes are never dropped, everything arrives in order, and reading resumes when the debt is paid
        server.close();
        registry = new SimpleMeterRegistry();
        server = new TurnServer(TurnServerUdpTest.settings(true).withQuotas(100, 10, 64, 8, 1000), registry);
        server.start();
        try (TurnTestClient control = tcpClient("alice"); ServerSocket peerListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(StunClass.SUCCESS_RESPONSE, control.request(StunMethod.ALLOCATE, TCP_TRANSPORT).stunClass());
            long connectionId = control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    (InetSocketAddress) peerListener.getLocalSocketAddress())).uint32(AttributeType.CONNECTION_ID);
            try (Socket peer = peerListener.accept(); TurnTestClient data = tcpClient("alice")) {
                peer.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
                data.credentials(control.username, control.password);
                assertEquals(StunClass.SUCCESS_RESPONSE, data.request(StunMethod.CONNECTION_BIND,
                        b -> b.addUint32(AttributeType.CONNECTION_ID, connectionId)).stunClass());
                byte[] payload = new byte[4000];
                for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
                for (int off = 0; off < payload.length; off += 500) {
                    data.socket().getOutputStream().write(payload, off, 500);
                    data.socket().getOutputStream().flush();
                }
                assertArrayEquals(payload, readN(peer.getInputStream(), payload.length));
                assertTrue(registry.get("parley.turn.stream.throttled").counter().count() >= 1, "reads were never paused");
                // the paused reader resumes once the budget has refilled: later bytes still get through
                data.socket().getOutputStream().write(new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, readN(peer.getInputStream(), 3));
            }
        }
    }

    @Test
    void rfc6062PeerConnectingToTheRelayTriggersConnectionAttempt() throws Exception {
        try (TurnTestClient control = tcpClient("alice")) {
            InetSocketAddress relay = control.request(StunMethod.ALLOCATE, TCP_TRANSPORT).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
            assertEquals(StunClass.SUCCESS_RESPONSE, control.request(StunMethod.CREATE_PERMISSION,
                    b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, new InetSocketAddress("127.0.0.1", 1))).stunClass());
            try (Socket peer = new Socket(relay.getAddress(), relay.getPort())) {
                StunMessage attempt = control.receiveStun();
                assertEquals(MessageType.indication(StunMethod.CONNECTION_ATTEMPT), attempt.type());
                assertEquals(peer.getLocalSocketAddress(), attempt.xorAddress(AttributeType.XOR_PEER_ADDRESS));
                long id = attempt.uint32(AttributeType.CONNECTION_ID);
                try (TurnTestClient data = tcpClient("alice")) {
                    data.credentials(control.username, control.password);
                    assertEquals(StunClass.SUCCESS_RESPONSE, data.request(StunMethod.CONNECTION_BIND,
                            b -> b.addUint32(AttributeType.CONNECTION_ID, id)).stunClass());
                    peer.getOutputStream().write(new byte[] {42, 43});
                    assertArrayEquals(new byte[] {42, 43}, readN(data.socket().getInputStream(), 2));
                }
            }
        }
    }

    @Test
    void rfc6062ConnectionBindWithAnotherUserGets441() throws Exception {
        try (TurnTestClient control = tcpClient("alice"); ServerSocket peerListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            control.request(StunMethod.ALLOCATE, TCP_TRANSPORT);
            long id = control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    (InetSocketAddress) peerListener.getLocalSocketAddress())).uint32(AttributeType.CONNECTION_ID);
            try (TurnTestClient data = tcpClient("mallory")) {
                assertError(data.request(StunMethod.CONNECTION_BIND, b -> b.addUint32(AttributeType.CONNECTION_ID, id)),
                        ErrorCode.WRONG_CREDENTIALS);
            }
        }
    }

    @Test
    void rfc6062SecondConnectToTheSamePeerGets446() throws Exception {
        try (TurnTestClient control = tcpClient("alice"); ServerSocket peerListener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            control.request(StunMethod.ALLOCATE, TCP_TRANSPORT);
            InetSocketAddress peer = (InetSocketAddress) peerListener.getLocalSocketAddress();
            assertEquals(StunClass.SUCCESS_RESPONSE, control.request(StunMethod.CONNECT,
                    b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)).stunClass());
            assertError(control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)),
                    ErrorCode.CONNECTION_ALREADY_EXISTS);
        }
    }

    @Test
    void garbageOnAStreamClosesOnlyThatConnection() throws Exception {
        try (TurnTestClient bad = tcpClient("x"); TurnTestClient good = tcpClient("y")) {
            bad.sendRaw(new byte[] {(byte) 0xFF, 1, 2, 3, 4, 5, 6, 7});
            assertEquals(-1, bad.socket().getInputStream().read(), "server closes a desynchronised stream");
            StunMessage r = good.plain(StunMessageBuilder.create(MessageType.request(StunMethod.BINDING)));
            assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass());
        }
    }

    @Test
    void rfc6062UnknownConnectionIdIsBadRequest() throws Exception {
        try (TurnTestClient data = tcpClient("alice")) {
            assertError(data.request(StunMethod.CONNECTION_BIND, b -> b.addUint32(AttributeType.CONNECTION_ID, 12345)),
                    ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void rfc6062ConnectToDeniedPeerGets403() throws Exception {
        server.close();
        server = new TurnServer(TurnServerUdpTest.settings(false), registry = new SimpleMeterRegistry());
        server.start();
        try (TurnTestClient control = tcpClient("alice")) {
            control.request(StunMethod.ALLOCATE, TCP_TRANSPORT);
            for (String denied : new String[] {"127.0.0.1", "169.254.169.254", "10.0.0.1"}) {
                assertError(control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                        new InetSocketAddress(denied, 80))), ErrorCode.FORBIDDEN);
            }
        }
    }

    @Test
    void rfc6062ConnectToClosedPortGets447() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (TurnTestClient control = tcpClient("alice")) {
            control.request(StunMethod.ALLOCATE, TCP_TRANSPORT);
            assertError(control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    new InetSocketAddress("127.0.0.1", closedPort))), ErrorCode.CONNECTION_TIMEOUT_OR_FAILURE);
        }
    }

    @Test
    void connectOnUdpAllocationIsBadRequest() throws Exception {
        try (TurnTestClient control = tcpClient("alice")) {
            TurnServerUdpTest.allocate(control);
            assertError(control.request(StunMethod.CONNECT, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS,
                    new InetSocketAddress("127.0.0.1", 80))), ErrorCode.BAD_REQUEST);
        }
    }

    static byte[] readN(InputStream in, int n) throws Exception {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) throw new AssertionError("stream ended after " + off + " bytes");
            off += r;
        }
        return b;
    }
}
