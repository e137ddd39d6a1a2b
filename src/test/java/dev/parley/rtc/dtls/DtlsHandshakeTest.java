package dev.parley.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.srtp.SrtpSession;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** In-process handshakes between Parley's DTLS client and server over queue-backed transports. */
class DtlsHandshakeTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(4);

    @AfterAll
    static void stopExecutor() {
        EXECUTOR.shutdownNow();
    }

    /** Records what one endpoint reported. */
    static final class Events implements DtlsEndpoint.Listener {
        final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<DtlsClose> closed = new CompletableFuture<>();
        final CompletableFuture<byte[]> applicationData = new CompletableFuture<>();

        @Override
        public void onApplicationData(byte[] buf, int off, int len) {
            applicationData.complete(java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void onConnected(SrtpKeyingMaterial keys) {
            connected.complete(keys);
        }

        @Override
        public void onClosed(DtlsClose reason) {
            closed.complete(reason);
            connected.completeExceptionally(new IllegalStateException("closed: " + reason));
        }
    }

    /** A client and server wired back to back; each one's sent records are the other's received. */
    static final class Pair {
        final Events serverEvents = new Events();
        final Events clientEvents = new Events();
        final DtlsEndpoint server;
        final DtlsEndpoint client;

        Pair(DtlsConfig serverConfig, DtlsFingerprint serverExpects, DtlsConfig clientConfig, DtlsFingerprint clientExpects) {
            DtlsEndpoint[] peers = new DtlsEndpoint[2];
            server = DtlsEndpoint.server(serverConfig, serverExpects, (b, o, l) -> peers[1].receive(b, o, l),
                    serverEvents, EXECUTOR);
            client = DtlsEndpoint.client(clientConfig, clientExpects, (b, o, l) -> peers[0].receive(b, o, l),
                    clientEvents, EXECUTOR);
            peers[0] = server;
            peers[1] = client;
        }

        static Pair matching(List<SrtpProfile> serverProfiles, List<SrtpProfile> clientProfiles) {
            return new Pair(config(SERVER_CERT, serverProfiles), CLIENT_CERT.fingerprint(),
                    config(CLIENT_CERT, clientProfiles), SERVER_CERT.fingerprint());
        }

        void start() {
            server.start();
            client.start();
        }
    }

    static DtlsConfig config(DtlsCertificate cert, List<SrtpProfile> profiles) {
        return new DtlsConfig(cert, profiles, Duration.ofSeconds(10), 1200);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    void handshakeExportsTheSameKeysOnBothSidesAndSrtpFlowsBothWays(SrtpProfile profile) throws Exception {
        Pair pair = Pair.matching(List.of(profile), List.of(profile));
        pair.start();
        SrtpKeyingMaterial serverKeys = await(pair.serverEvents.connected);
        SrtpKeyingMaterial clientKeys = await(pair.clientEvents.connected);

        assertEquals(profile, serverKeys.profile());
        assertEquals(profile, clientKeys.profile());
        assertArrayEquals(serverKeys.clientWriteKey(), clientKeys.clientWriteKey());
        assertArrayEquals(serverKeys.clientWriteSalt(), clientKeys.clientWriteSalt());
        assertArrayEquals(serverKeys.serverWriteKey(), clientKeys.serverWriteKey());
        assertArrayEquals(serverKeys.serverWriteSalt(), clientKeys.serverWriteSalt());
        assertFalse(java.util.Arrays.equals(serverKeys.clientWriteKey(), serverKeys.serverWriteKey()));
        assertEquals(profile.keyLength(), serverKeys.clientWriteKey().length);
        assertEquals(profile.saltLength(), serverKeys.clientWriteSalt().length);
        assertEquals(DtlsEndpoint.State.CONNECTED, pair.server.state());

        assertSrtpFlows(clientKeys.newSenderSession(), serverKeys.newReceiverSession());
        assertSrtpFlows(serverKeys.newSenderSession(), clientKeys.newReceiverSession());
        pair.client.close();
        pair.server.close();
    }

    private static void assertSrtpFlows(SrtpSession sender, SrtpSession receiver) {
        byte[] packet = new byte[12 + 100 + 16];
        packet[0] = (byte) 0x80;
        packet[1] = 111;
        packet[3] = 42;
        packet[11] = 7;
        for (int i = 12; i < 112; i++) {
            packet[i] = (byte) i;
        }
        byte[] clear = java.util.Arrays.copyOf(packet, 112);
        int n = sender.protectRtp(packet, 0, 112);
        assertEquals(112, receiver.unprotectRtp(packet, 0, n));
        assertArrayEquals(clear, java.util.Arrays.copyOf(packet, 112));
    }

    @Test
    void serverPicksItsPreferredProfileAmongThoseOffered() throws Exception {
        Pair pair = Pair.matching(DtlsConfig.DEFAULT_PROFILES,
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM));
        pair.start();
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(pair.serverEvents.connected).profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(pair.clientEvents.connected).profile());
        pair.client.close();
    }

    @Test
    void noCommonProfileFailsTheHandshake() throws Exception {
        Pair pair = Pair.matching(List.of(SrtpProfile.AEAD_AES_128_GCM), List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        pair.start();
        assertEquals(DtlsClose.Kind.ALERT_RAISED, await(pair.serverEvents.closed).kind());
        assertEquals(DtlsClose.Kind.ALERT_RECEIVED, await(pair.clientEvents.closed).kind());
    }

    @Test
    void serverRejectsAClientWhoseCertificateIsNotTheSdpFingerprint() throws Exception {
        DtlsFingerprint somebodyElse = DtlsCertificate.generate().fingerprint();
        Pair pair = new Pair(config(SERVER_CERT, DtlsConfig.DEFAULT_PROFILES), somebodyElse,
                config(CLIENT_CERT, DtlsConfig.DEFAULT_PROFILES), SERVER_CERT.fingerprint());
        pair.start();
        DtlsClose serverSide = await(pair.serverEvents.closed);
        assertEquals(DtlsClose.Kind.FINGERPRINT_MISMATCH, serverSide.kind());
        assertEquals(org.bouncycastle.tls.AlertDescription.bad_certificate, serverSide.alertDescription());
        assertEquals(DtlsClose.Kind.ALERT_RECEIVED, await(pair.clientEvents.closed).kind());
        assertFalse(pair.serverEvents.connected.isDone() && !pair.serverEvents.connected.isCompletedExceptionally());
    }

    @Test
    void clientRejectsAServerWhoseCertificateIsNotTheSdpFingerprint() throws Exception {
        DtlsFingerprint somebodyElse = DtlsCertificate.generate().fingerprint();
        Pair pair = new Pair(config(SERVER_CERT, DtlsConfig.DEFAULT_PROFILES), CLIENT_CERT.fingerprint(),
                config(CLIENT_CERT, DtlsConfig.DEFAULT_PROFILES), somebodyElse);
        pair.start();
        assertEquals(DtlsClose.Kind.FINGERPRINT_MISMATCH, await(pair.clientEvents.closed).kind());
        assertEquals(DtlsClose.Kind.ALERT_RECEIVED, await(pair.serverEvents.closed).kind());
    }

    @Test
    void garbageRecordsDoNotStopTheServer() throws Exception {
        Pair pair = Pair.matching(DtlsConfig.DEFAULT_PROFILES, DtlsConfig.DEFAULT_PROFILES);
        Random random = new Random(7);
        byte[] junk = new byte[300];
        for (int i = 0; i < 20; i++) { // before the handshake: random bytes and fake record headers
            random.nextBytes(junk);
            if (i % 2 == 0) {
                junk[0] = 22; // handshake content type
                junk[1] = (byte) 0xFE;
                junk[2] = (byte) 0xFD; // DTLS 1.2
            }
            pair.server.receive(junk, 0, 1 + random.nextInt(junk.length - 1));
        }
        pair.start();
        await(pair.serverEvents.connected);
        await(pair.clientEvents.connected);
        for (int i = 0; i < 20; i++) { // and after it
            random.nextBytes(junk);
            junk[0] = (byte) (20 + random.nextInt(4));
            pair.server.receive(junk, 0, 1 + random.nextInt(junk.length - 1));
        }
        Thread.sleep(200);
        assertEquals(DtlsEndpoint.State.CONNECTED, pair.server.state());
        pair.client.close();
        assertEquals(DtlsClose.Kind.CLOSE_NOTIFY, await(pair.serverEvents.closed).kind());
    }

    @Test
    void closeNotifyFromThePeerClosesTheEndpoint() throws Exception {
        Pair pair = Pair.matching(DtlsConfig.DEFAULT_PROFILES, DtlsConfig.DEFAULT_PROFILES);
        pair.start();
        await(pair.serverEvents.connected);
        await(pair.clientEvents.connected);

        pair.client.close();

        assertEquals(DtlsClose.Kind.LOCAL, await(pair.clientEvents.closed).kind());
        assertEquals(DtlsClose.Kind.CLOSE_NOTIFY, await(pair.serverEvents.closed).kind());
        assertEquals(DtlsEndpoint.State.CLOSED, pair.server.state());
        assertFalse(pair.server.receive(new byte[20], 0, 20), "a closed endpoint drops records");
    }

    @Test
    void silentPeerEndsInHandshakeTimeout() throws Exception {
        Events events = new Events();
        DtlsEndpoint server = DtlsEndpoint.server(
                new DtlsConfig(SERVER_CERT, DtlsConfig.DEFAULT_PROFILES, Duration.ofMillis(300), 1200),
                CLIENT_CERT.fingerprint(), (b, o, l) -> { }, events, EXECUTOR);
        server.start();
        DtlsClose reason = await(events.closed);
        assertEquals(DtlsClose.Kind.HANDSHAKE_TIMEOUT, reason.kind());
        assertEquals(DtlsEndpoint.State.CLOSED, server.state());
    }

    @Test
    void closingDuringTheHandshakeReportsLocalOnce() throws Exception {
        Events events = new Events();
        int[] closes = new int[1];
        DtlsEndpoint server = DtlsEndpoint.server(config(SERVER_CERT, DtlsConfig.DEFAULT_PROFILES),
                CLIENT_CERT.fingerprint(), (b, o, l) -> { }, new DtlsEndpoint.Listener() {
                    @Override
                    public void onConnected(SrtpKeyingMaterial keys) {
                    }

                    @Override
                    public void onClosed(DtlsClose reason) {
                        closes[0]++;
                        events.onClosed(reason);
                    }
                }, EXECUTOR);
        server.start();
        server.close();
        assertEquals(DtlsClose.Kind.LOCAL, await(events.closed).kind());
        Thread.sleep(100);
        server.close();
        assertEquals(1, closes[0]);
        assertTrue(server.state() == DtlsEndpoint.State.CLOSED);
    }

    @Test
    void lostFinalServerFlightIsRetransmittedAfterTheServerConnected() throws Exception {
        // Drop the server's ChangeCipherSpec and epoch-1 Finished once: the client times out and
        // resends its flight, which reaches a server that already finished — only the
        // post-handshake drain can answer it.
        java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        Events serverEvents = new Events();
        Events clientEvents = new Events();
        DtlsEndpoint[] peers = new DtlsEndpoint[2];
        peers[0] = DtlsEndpoint.server(config(SERVER_CERT, DtlsConfig.DEFAULT_PROFILES), CLIENT_CERT.fingerprint(),
                (b, o, l) -> {
                    boolean finalFlight = b[o] == 20 || (b[o] == 22 && b[o + 3] == 0 && b[o + 4] == 1);
                    if (finalFlight && dropped.get() < 2) {
                        dropped.incrementAndGet();
                        return;
                    }
                    peers[1].receive(b, o, l);
                }, serverEvents, EXECUTOR);
        peers[1] = DtlsEndpoint.client(config(CLIENT_CERT, DtlsConfig.DEFAULT_PROFILES), SERVER_CERT.fingerprint(),
                (b, o, l) -> peers[0].receive(b, o, l), clientEvents, EXECUTOR);
        peers[0].start();
        peers[1].start();

        SrtpKeyingMaterial serverKeys = await(serverEvents.connected);
        SrtpKeyingMaterial clientKeys = await(clientEvents.connected);
        assertEquals(2, dropped.get());
        assertArrayEquals(serverKeys.serverWriteKey(), clientKeys.serverWriteKey());
        peers[1].close();
    }

    @Test
    void applicationDataReachesThePeer() throws Exception {
        Pair pair = Pair.matching(DtlsConfig.DEFAULT_PROFILES, DtlsConfig.DEFAULT_PROFILES);
        pair.start();
        await(pair.serverEvents.connected);
        await(pair.clientEvents.connected);
        byte[] message = "sctp would ride here".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        pair.client.send(message, 0, message.length);

        assertArrayEquals(message, await(pair.serverEvents.applicationData));
        pair.client.close();
    }

    @Test
    void clientHelloArrivingBeforeTheServerStartsIsKept() throws Exception {
        Pair pair = Pair.matching(DtlsConfig.DEFAULT_PROFILES, DtlsConfig.DEFAULT_PROFILES);
        pair.client.start();
        Thread.sleep(100); // the ClientHello waits in the server's queue
        pair.server.start();
        await(pair.serverEvents.connected);
        await(pair.clientEvents.connected);
        pair.client.close();
    }

    @Test
    void closingDuringTheHandshakeReleasesTheExecutorThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            DtlsEndpoint server = DtlsEndpoint.server(config(SERVER_CERT, DtlsConfig.DEFAULT_PROFILES),
                    CLIENT_CERT.fingerprint(), (b, o, l) -> { }, new Events(), single);
            server.start(); // parks the only thread waiting for a ClientHello
            Thread.sleep(100);
            server.close();
            CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> true, single);
            assertTrue(next.get(2, TimeUnit.SECONDS), "the handshake thread came back after close");
        } finally {
            single.shutdownNow();
        }
    }
}
