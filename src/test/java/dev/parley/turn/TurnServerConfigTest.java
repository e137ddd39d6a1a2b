package dev.parley.turn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMethod;
import dev.parley.codec.stun.TurnAttributes;
import dev.parley.rtc.tls.SelfSignedCertificate;
import dev.parley.rtc.tls.TlsIdentity;
import dev.parley.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that change what the server binds or advertises: external IP, IPv6 relays, TLS from files, bad settings. */
class TurnServerConfigTest {
    @Test
    void externalIpIsAdvertisedInsteadOfTheBindAddress() throws Exception {
        TurnSettings s = TurnServerUdpTest.settings(false).withRelay("127.0.0.1", null, "198.51.100.20", 51000, 51999);
        try (TurnServer server = new TurnServer(s, new SimpleMeterRegistry())) {
            server.start();
            TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
            try (TurnTestClient client = TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password())) {
                InetSocketAddress relay = TurnServerUdpTest.allocate(client).xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
                assertEquals(InetAddress.getByName("198.51.100.20"), relay.getAddress());
            }
        }
    }

    @Test
    void ipv6RelayRelaysToIpv6Peer() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        DatagramSocket peer;
        try {
            peer = new DatagramSocket(new InetSocketAddress(v6, 0));
        } catch (java.net.SocketException e) {
            throw new AssertionError("this test needs IPv6 loopback (::1); the test namespace of ./scripts/test has it", e);
        }
        TurnSettings s = TurnServerUdpTest.settings(false).withRelay("127.0.0.1", "::1", null, 51000, 51999)
                .withPeers(List.of("::1/128"), List.of());
        try (peer; TurnServer server = new TurnServer(s, new SimpleMeterRegistry())) {
            peer.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
            server.start();
            TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
            try (TurnTestClient client = TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password())) {
                StunMessage r = client.request(StunMethod.ALLOCATE, b -> {
                    TurnServerUdpTest.UDP_TRANSPORT.accept(b);
                    b.add(AttributeType.REQUESTED_ADDRESS_FAMILY, new byte[] {TurnAttributes.FAMILY_IPV6, 0, 0, 0});
                });
                assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass(), () -> TurnServerUdpTest.errorOf(r));
                InetSocketAddress relay = r.xorAddress(AttributeType.XOR_RELAYED_ADDRESS);
                assertEquals(v6, relay.getAddress());
                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                assertEquals(StunClass.SUCCESS_RESPONSE, client.request(StunMethod.CREATE_PERMISSION,
                        b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)).stunClass());
                byte[] hello = "over ipv6".getBytes(StandardCharsets.UTF_8);
                client.sendIndication(StunMethod.SEND, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)
                        .add(AttributeType.DATA, hello));
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                peer.receive(p);
                assertArrayEquals(hello, java.util.Arrays.copyOf(p.getData(), p.getLength()));
            }
        }
    }

    static DatagramSocket ipv6Loopback() {
        try {
            return new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs IPv6 loopback (::1); the test namespace of ./scripts/test has it", e);
        }
    }

    static java.util.function.Consumer<dev.parley.codec.stun.StunMessageBuilder> additionalFamily(int family) {
        return b -> {
            TurnServerUdpTest.UDP_TRANSPORT.accept(b);
            b.add(AttributeType.ADDITIONAL_ADDRESS_FAMILY, new byte[] {(byte) family, 0, 0, 0});
        };
    }

    @Test
    void dualAllocationRelaysToIpv4AndIpv6PeersThroughOneAllocation() throws Exception {
        // RFC 8656 §7.2 ADDITIONAL-ADDRESS-FAMILY: one allocation, an IPv4 and an IPv6 relayed address
        TurnSettings s = TurnServerUdpTest.settings(true).withRelay("127.0.0.1", "::1", null, 51000, 51999)
                .withPeers(List.of("127.0.0.0/8", "::1/128"), List.of());
        try (DatagramSocket peer6 = ipv6Loopback();
             DatagramSocket peer4 = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             TurnServer server = new TurnServer(s, new SimpleMeterRegistry())) {
            peer6.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
            peer4.setSoTimeout(TurnTestClient.TIMEOUT_MILLIS);
            server.start();
            TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
            try (TurnTestClient client = TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password())) {
                StunMessage r = client.request(StunMethod.ALLOCATE, additionalFamily(TurnAttributes.FAMILY_IPV6));
                assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass(), () -> TurnServerUdpTest.errorOf(r));
                List<InetSocketAddress> relays = r.xorAddresses(AttributeType.XOR_RELAYED_ADDRESS);
                assertEquals(2, relays.size(), relays::toString);
                assertEquals(InetAddress.getByName("127.0.0.1"), relays.get(0).getAddress());
                assertEquals(InetAddress.getByName("::1"), relays.get(1).getAddress());
                for (DatagramSocket peer : List.of(peer4, peer6)) {
                    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                    assertEquals(StunClass.SUCCESS_RESPONSE, client.request(StunMethod.CREATE_PERMISSION,
                            b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)).stunClass());
                    byte[] hello = ("to " + peerAddress).getBytes(StandardCharsets.UTF_8);
                    client.sendIndication(StunMethod.SEND, b -> b.addXorAddress(AttributeType.XOR_PEER_ADDRESS, peerAddress)
                            .add(AttributeType.DATA, hello));
                    DatagramPacket p = new DatagramPacket(new byte[200], 200);
                    peer.receive(p);
                    assertArrayEquals(hello, java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    // each family leaves from its own relayed address, and answers come back through it
                    InetSocketAddress relay = relays.get(peer == peer4 ? 0 : 1);
                    assertEquals(relay, p.getSocketAddress());
                    peer.send(new DatagramPacket(new byte[] {4, 2}, 2, relay));
                    StunMessage data = client.receiveStun();
                    assertEquals(peerAddress, data.xorAddress(AttributeType.XOR_PEER_ADDRESS));
                    assertArrayEquals(new byte[] {4, 2}, data.value(AttributeType.DATA));
                }
            }
        }
    }

    @Test
    void additionalIpv6WithoutIpv6RelaysGetsIpv4AndAddressErrorCode440() throws Exception {
        try (TurnServer server = new TurnServer(TurnServerUdpTest.settings(false), new SimpleMeterRegistry())) {
            server.start();
            TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
            try (TurnTestClient client = TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password())) {
                StunMessage r = client.request(StunMethod.ALLOCATE, additionalFamily(TurnAttributes.FAMILY_IPV6));
                assertEquals(StunClass.SUCCESS_RESPONSE, r.stunClass(), () -> TurnServerUdpTest.errorOf(r));
                assertEquals(1, r.xorAddresses(AttributeType.XOR_RELAYED_ADDRESS).size());
                byte[] addressError = r.value(AttributeType.ADDRESS_ERROR_CODE);
                assertEquals(TurnAttributes.FAMILY_IPV6, addressError[0]);
                assertEquals(440, (addressError[2] & 7) * 100 + addressError[3]);
            }
        }
    }

    @Test
    void additionalFamilyIpv4OrTogetherWithRequestedFamilyIsBadRequest() throws Exception {
        TurnSettings s = TurnServerUdpTest.settings(false).withRelay("127.0.0.1", "::1", null, 51000, 51999);
        try (DatagramSocket probe = ipv6Loopback(); TurnServer server = new TurnServer(s, new SimpleMeterRegistry())) {
            server.start();
            TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
            try (TurnTestClient client = TurnTestClient.udp(server.udpPort()).credentials(c.username(), c.password())) {
                TurnServerUdpTest.assertError(client.request(StunMethod.ALLOCATE, additionalFamily(TurnAttributes.FAMILY_IPV4)),
                        dev.parley.codec.stun.ErrorCode.BAD_REQUEST);
                TurnServerUdpTest.assertError(client.request(StunMethod.ALLOCATE, b -> {
                    additionalFamily(TurnAttributes.FAMILY_IPV6).accept(b);
                    b.add(AttributeType.REQUESTED_ADDRESS_FAMILY, new byte[] {TurnAttributes.FAMILY_IPV6, 0, 0, 0});
                }), dev.parley.codec.stun.ErrorCode.BAD_REQUEST);
            }
        }
    }

    @Test
    void tlsListenerUsesConfiguredPemFiles(@TempDir Path dir) throws Exception {
        TlsIdentity identity = SelfSignedCertificate.generate("turn.example.test", List.of("localhost"), Duration.ofDays(1));
        X509Certificate cert = identity.certificate();
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, TestCertificates.pem(cert));
        Files.writeString(keyFile, TestCertificates.pkcs8(identity.privateKey()));
        TurnSettings s = TurnServerUdpTest.settings(false).withTls(certFile, keyFile);
        try (TurnServer server = new TurnServer(s, new SimpleMeterRegistry())) {
            server.start();
            assertEquals(cert, servedCertificate(server));
        }
    }

    @Test
    void tlsListenerPresentsTheProcessIdentityWhenNoPemFilesAreGiven() throws Exception {
        TlsIdentity https = SelfSignedCertificate.generate("parley.example.test", List.of("localhost"), Duration.ofDays(1));
        try (TurnServer server = new TurnServer(TurnServerUdpTest.settings(false), new SimpleMeterRegistry(), https)) {
            server.start();
            assertEquals(https.certificate(), servedCertificate(server));
        }
    }

    private static X509Certificate servedCertificate(TurnServer server) throws Exception {
        TurnCredentials.Credential c = TurnServerUdpTest.credential("alice");
        try (TurnTestClient client = TurnTestClient.tls(server.tlsPort()).credentials(c.username(), c.password())) {
            TurnServerUdpTest.allocate(client);
            javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) client.socket();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void badSettingsAreRefusedAtConstruction() {
        TurnSettings d = TurnSettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withRelay("0.0.0.0", null, null, 60000, 50000));
        assertThrows(IllegalArgumentException.class, () -> d.withPeers(List.of("not-a-cidr"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> d.withTls(Path.of("cert.pem"), null));
    }

    @Test
    void iceUrlsNameEveryEnabledListener() throws Exception {
        try (TurnServer server = new TurnServer(TurnServerUdpTest.settings(false).withListen("127.0.0.1", 0, 0, -1),
                new SimpleMeterRegistry())) {
            server.start();
            assertEquals(List.of("stun:turn.example.org:" + server.udpPort(),
                    "turn:turn.example.org:" + server.udpPort() + "?transport=udp",
                    "turn:turn.example.org:" + server.tcpPort() + "?transport=tcp"), server.iceUrls("turn.example.org"));
            assertEquals(-1, server.tlsPort());
        }
    }

    @Test
    void defaultsMatchTheDocumentedPorts() {
        TurnSettings d = TurnSettings.defaults();
        assertEquals(3478, d.udpPort());
        assertEquals(3478, d.tcpPort());
        assertEquals(5349, d.tlsPort());
        assertEquals(49152, d.relayPortMin());
        assertEquals(65535, d.relayPortMax());
    }
}
