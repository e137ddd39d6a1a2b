package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.rtc.tls.PemFiles;
import dev.parley.rtc.tls.TlsIdentity;
import dev.parley.testing.TestCertificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way the HTTPS options can be wrong gets a message naming the flag and the file; the dev certificate is kept. */
class HttpsStartupTest {
    @TempDir
    Path dir;

    private Path[] files(KeyPair certKeys, KeyPair fileKeys, Instant notBefore, Instant notAfter) throws Exception {
        X509Certificate cert = TestCertificates.certificate(certKeys, "parley.test", certKeys, "parley.test", notBefore, notAfter,
                List.of("localhost", "127.0.0.1"));
        return TestCertificates.write(dir, TestCertificates.pem(cert), TestCertificates.pkcs8(fileKeys.getPrivate()));
    }

    private static ParleyConfig tls(Path cert, Path key) {
        return TestConfigs.loopback("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-port", "0");
    }

    @Test
    void aMissingCertificateFileIsNamedWithTheTlsFlags() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        Path[] files = files(keys, keys, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        Path missing = dir.resolve("nope.pem");
        StartupException e = assertThrows(StartupException.class, () -> new ParleyServer(tls(missing, files[1])));
        assertTrue(e.getMessage().contains("HTTPS") && e.getMessage().contains("--tls-cert")
                && e.getMessage().contains(missing + " does not exist"), e.getMessage());
        StartupException noKey = assertThrows(StartupException.class, () -> new ParleyServer(tls(files[0], missing)));
        assertTrue(noKey.getMessage().contains("--tls-key") && noKey.getMessage().contains(missing + " does not exist"), noKey.getMessage());
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
        Path[] files = files(TestCertificates.ecKeys(), TestCertificates.ecKeys(), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        StartupException e = assertThrows(StartupException.class, () -> new ParleyServer(tls(files[0], files[1])));
        assertTrue(e.getMessage().contains("--tls-key") && e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void aFileThatIsNotPemIsRefused() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        Path[] files = files(keys, keys, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        Files.writeString(files[0], "this is not a certificate\n");
        StartupException e = assertThrows(StartupException.class, () -> new ParleyServer(tls(files[0], files[1])));
        assertTrue(e.getMessage().contains("no CERTIFICATE block"), e.getMessage());
    }

    @Test
    void anExpiredCertificateStartsWithAWarning() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        Instant now = Instant.now();
        Path[] files = files(keys, keys, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)));
        TlsIdentity expired = PemFiles.read(files[0], files[1]);
        String warning = HttpsListener.validityProblem(expired, now);
        assertTrue(warning != null && warning.contains("expired") && warning.contains("renew"), warning);
        try (ParleyServer server = new ParleyServer(tls(files[0], files[1])).start()) {
            assertTrue(server.tlsPort() > 0, "an expired certificate is the operator's to renew, not a reason to stay down");
        }
        TlsIdentity fresh = PemFiles.read(files(keys, keys, now.minusSeconds(60), now.plus(Duration.ofDays(90)))[0], files[1]);
        assertNull(HttpsListener.validityProblem(fresh, now));
        assertTrue(HttpsListener.validityProblem(fresh, now.plus(Duration.ofDays(80))).contains("expires on"));
    }

    @Test
    void aTakenHttpsPortNamesTheTlsPortFlag() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        Path[] files = files(keys, keys, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ParleyServer server = new ParleyServer(TestConfigs.loopback("--tls-cert", files[0].toString(), "--tls-key",
                        files[1].toString(), "--tls-port", String.valueOf(taken.getLocalPort())))) {
            StartupException e = assertThrows(StartupException.class, server::start);
            assertTrue(e.getMessage().contains("HTTPS") && e.getMessage().contains("--tls-port"), e.getMessage());
            assertFalse(e.getMessage().contains("--port,"), e.getMessage());
        }
    }

    @Test
    void inconsistentTlsOptionsAreConfigErrors() {
        assertTrue(assertThrows(ConfigException.class, () -> TestConfigs.loopback("--tls-cert", "a.pem"))
                .getMessage().contains("--tls-cert and --tls-key go together"));
        assertTrue(assertThrows(ConfigException.class, () -> TestConfigs.loopback("--tls-cert", "a.pem", "--tls-key", "b.pem", "--tls-dev-cert"))
                .getMessage().contains("exclude each other"));
        assertTrue(assertThrows(ConfigException.class, () -> TestConfigs.loopback("--tls-dev-cert", "--port", "8443"))
                .getMessage().contains("must differ from --port"));
    }

    @Test
    void tlsDevCertIsABareSwitchAndHttpsIsOffByDefault() {
        assertFalse(TestConfigs.loopback().tls().enabled());
        assertTrue(TestConfigs.loopback("--tls-dev-cert").tls().devCertificate());
        assertTrue(TestConfigs.loopback("--tls-dev-cert", "--tls-port", "0").tls().enabled());
        assertFalse(TestConfigs.loopback("--tls-dev-cert", "off").tls().enabled());
        assertTrue(ConfigLoader.load(new String[0], Map.of("PARLEY_TLS_DEV_CERT", "on")).tls().devCertificate());
        assertEquals(8443, ConfigLoader.load(new String[0], Map.of()).tls().port());
        assertEquals(Path.of(System.getProperty("user.home"), ".parley/dev-cert"),
                ConfigLoader.load(new String[0], Map.of()).tls().devCertificateDir().orElseThrow());
    }

    @Test
    void theDevCertificateIsKeptAndReusedAcrossRestarts() throws Exception {
        Path kept = dir.resolve("dev-cert");
        ParleyConfig config = TestConfigs.loopback("--tls-dev-cert", "--tls-port", "0", "--tls-dev-cert-dir", kept.toString());
        String first;
        try (ParleyServer server = new ParleyServer(config).start()) {
            TlsIdentity identity = PemFiles.read(kept.resolve("cert.pem"), kept.resolve("key.pem"));
            first = identity.sha256Fingerprint();
            assertTrue(identity.names().containsAll(List.of("localhost", "127.0.0.1")), identity.names().toString());
            assertEquals(200, getHealthz(server, identity.certificate()));
        }
        try (ParleyServer server = new ParleyServer(config).start()) {
            TlsIdentity identity = PemFiles.read(kept.resolve("cert.pem"), kept.resolve("key.pem"));
            assertEquals(first, identity.sha256Fingerprint(), "the browser's exception survives the restart");
            assertEquals(200, getHealthz(server, identity.certificate()));
        }
    }

    @Test
    void aDevCertificateWithoutADirIsMadeForThisRunOnly() throws Exception {
        try (ParleyServer server = new ParleyServer(TestConfigs.loopback("--tls-dev-cert", "--tls-port", "0",
                "--tls-dev-cert-dir", "off")).start()) {
            assertTrue(server.tlsPort() > 0);
        }
        try (var listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "nothing written");
        }
    }

    private static int getHealthz(ParleyServer server, X509Certificate trusted) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(trusted)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.tlsPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
