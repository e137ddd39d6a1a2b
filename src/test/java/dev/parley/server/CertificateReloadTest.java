package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate (certbot rewriting the files) is served without a restart, on HTTPS and on turns:. */
class CertificateReloadTest {
    @TempDir
    Path dir;

    @Test
    void renewedFilesAreServedToNewConnectionsAndABrokenPairIsIgnored() throws Exception {
        TestCertificates.PemPair pair = TestCertificates.selfSignedFiles(dir);
        X509Certificate old = pair.certificate();
        Path[] files = {pair.certificateFile(), pair.keyFile()};
        try (ParleyServer server = new ParleyServer(TestConfigs.loopback(
                "--tls-cert", files[0].toString(), "--tls-key", files[1].toString(), "--tls-port", "0", "--tls-reload-interval", "100ms")).start()) {
            assertEquals(old, httpsCertificate(server, old));

            // a half-done copy: the new certificate next to the old key is refused, the old pair stays
            KeyPair newKeys = TestCertificates.ecKeys();
            X509Certificate renewed = TestCertificates.selfSigned(newKeys);
            Files.writeString(files[0], TestCertificates.pem(renewed));
            awaitCount(server, "refused", 1);
            assertEquals(old, httpsCertificate(server, old));
            assertEquals(old, turnsCertificate(server, old));

            Files.writeString(files[1], TestCertificates.pkcs8(newKeys.getPrivate()));
            awaitCount(server, "reloaded", 1);
            assertEquals(renewed, httpsCertificate(server, renewed));
            assertEquals(renewed, turnsCertificate(server, renewed));
            double expiry = server.metrics().get("parley.tls.certificate.expiry").gauge().value();
            assertTrue(expiry > 0 && expiry <= 86_400, "seconds until the renewed certificate expires: " + expiry);
        }
    }

    /** Polls the reload counter (bounded); the watcher runs every 100 ms. */
    private static void awaitCount(ParleyServer server, String outcome, double count) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        double seen = 0;
        while (System.nanoTime() < deadline) {
            seen = server.metrics().get("parley.tls.certificate.reloads").tag("outcome", outcome).counter().count();
            if (seen >= count) return;
            Thread.sleep(50);
        }
        throw new AssertionError("parley_tls_certificate_reloads_total{outcome=" + outcome + "} stayed at " + seen);
    }

    /** A fresh client that trusts only {@code trusted}: its handshake fails unless the server presents it. */
    private static Certificate httpsCertificate(ParleyServer server, X509Certificate trusted) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(trusted)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.tlsPort() + "/healthz"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return health.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private static Certificate turnsCertificate(ParleyServer server, X509Certificate trusted) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCertificates.trusting(trusted).getSocketFactory()
                .createSocket("127.0.0.1", server.turn().tlsPort())) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }
}
