package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestCertificates;
import dev.parley.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley serves HTTPS and WSS itself from a certificate made in the test: the JDK's client trusts
 * exactly that certificate, as a phone does once its owner accepted it.
 */
class HttpsTest {
    @TempDir
    static Path dir;
    private static X509Certificate certificate;
    private static ParleyServer server;
    private static HttpClient https;
    private static final HttpClient PLAIN = HttpClient.newHttpClient(); // follows no redirects

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.PemPair pair = TestCertificates.selfSignedFiles(dir);
        certificate = pair.certificate();
        server = new ParleyServer(TestConfigs.loopback(pair.tlsFlags())).start();
        https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(certificate)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI httpsUri(String path) {
        return URI.create("https://localhost:" + server.tlsPort() + path);
    }

    @Test
    void healthzAnswersOverHttpsWithTheGivenCertificate() throws Exception {
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(httpsUri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        assertEquals(certificate, health.sslSession().orElseThrow().getPeerCertificates()[0]);
        String protocol = health.sslSession().orElseThrow().getProtocol();
        assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
    }

    @Test
    void appsAreServedOverHttps() throws Exception {
        HttpResponse<String> call = https.send(HttpRequest.newBuilder(httpsUri("/call")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, call.statusCode());
        assertTrue(call.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    }

    @Test
    void signalingJoinWorksOverWssFromTheHttpsOrigin() throws Exception {
        String origin = "https://localhost:" + server.tlsPort();
        URI wss = URI.create("wss://localhost:" + server.tlsPort() + "/ws");
        try (WsClient ann = WsClient.connect(https, wss, Map.of("Origin", origin));
                WsClient bob = WsClient.connect(https, wss, Map.of("Origin", origin))) {
            JsonNode first = ann.join(null, "Ann");
            String room = first.get("room").asText();
            JsonNode second = bob.join(room, "Bob");
            assertEquals("Ann", second.get("peers").get(0).get("name").asText());
            assertEquals("Bob", ann.next("peer-joined").get("peer").get("name").asText());
        }
    }

    @Test
    void aForeignOriginIsStillRefusedOverWss() {
        Exception failure = assertThrows(Exception.class, () -> https.newWebSocketBuilder().header("Origin", "https://evil.example")
                .buildAsync(URI.create("wss://localhost:" + server.tlsPort() + "/ws"), new java.net.http.WebSocket.Listener() {}).join());
        assertEquals(403, ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
    }

    @Test
    void plainHttpRedirectsPagesToHttpsButServesProbesAndMetrics() throws Exception {
        HttpResponse<String> page = PLAIN.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/call?room=abc")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(307, page.statusCode());
        assertEquals("https://localhost:" + server.tlsPort() + "/call?room=abc", page.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> ws = PLAIN.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/ws")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(307, ws.statusCode(), "signaling only over wss once TLS is on");
        for (String probe : List.of("/healthz", "/readyz", "/metrics")) {
            HttpResponse<String> answer = PLAIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + probe)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), probe);
        }
    }

    @Test
    void turnsPresentsTheHttpsCertificateWhenNoTurnCertificateIsGiven() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCertificates.trusting(certificate).getSocketFactory()
                .createSocket("127.0.0.1", server.turn().tlsPort())) {
            socket.startHandshake();
            assertEquals(certificate, socket.getSession().getPeerCertificates()[0]);
        }
    }
}
