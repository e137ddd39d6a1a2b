package dev.parley.rtc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files in the forms operators have them: certbot's PKCS#8, openssl's PKCS#1 and SEC1, chains; and the refusals. */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsAnEcKeyInPkcs8AsCertbotWritesIt() throws Exception {
        TestCertificates.PemPair pair = TestCertificates.selfSignedFiles(dir);
        TlsIdentity identity = PemFiles.read(pair.certificateFile(), pair.keyFile());
        assertEquals(pair.certificate(), identity.certificate());
        assertEquals("EC", identity.privateKey().getAlgorithm());
    }

    @Test
    void readsSec1EcAndPkcs1RsaKeys() throws Exception {
        for (KeyPair keys : List.of(TestCertificates.ecKeys(), TestCertificates.rsaKeys())) {
            X509Certificate cert = TestCertificates.selfSigned(keys);
            String key = TestCertificates.traditional(keys.getPrivate());
            assertTrue(key.contains("BEGIN EC PRIVATE KEY") || key.contains("BEGIN RSA PRIVATE KEY"), key);
            Path[] files = TestCertificates.write(dir, TestCertificates.pem(cert), key);
            assertEquals(cert, PemFiles.read(files[0], files[1]).certificate());
        }
        // `openssl ecparam -genkey -name prime256v1` puts the curve's OID in a block before the key
        KeyPair keys = TestCertificates.ecKeys();
        String ecParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        Path[] files = TestCertificates.write(dir, TestCertificates.pem(TestCertificates.selfSigned(keys)),
                ecParameters + TestCertificates.traditional(keys.getPrivate()));
        assertEquals("EC", PemFiles.read(files[0], files[1]).privateKey().getAlgorithm());
    }

    @Test
    void keepsTheChainInFileOrderLeafFirst() throws Exception {
        KeyPair ca = TestCertificates.ecKeys();
        KeyPair leafKeys = TestCertificates.ecKeys();
        Instant now = Instant.now();
        X509Certificate root = TestCertificates.certificate(ca, "Test CA", ca, "Test CA", now.minusSeconds(60), now.plusSeconds(3600), List.of());
        X509Certificate leaf = TestCertificates.certificate(leafKeys, "parley.example.org", ca, "Test CA", now.minusSeconds(60),
                now.plusSeconds(3600), List.of("parley.example.org"));
        Path[] files = TestCertificates.write(dir, TestCertificates.pem(leaf, root), TestCertificates.pkcs8(leafKeys.getPrivate()));
        TlsIdentity identity = PemFiles.read(files[0], files[1]);
        assertEquals(List.of(leaf, root), identity.chain());
        assertEquals(List.of("parley.example.org"), identity.names());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
        X509Certificate cert = TestCertificates.selfSigned(TestCertificates.ecKeys());
        Path[] files = TestCertificates.write(dir, TestCertificates.pem(cert), TestCertificates.pkcs8(TestCertificates.ecKeys().getPrivate()));
        TlsIdentityException e = assertThrows(TlsIdentityException.class, () -> PemFiles.read(files[0], files[1]));
        assertTrue(e.getMessage().contains("does not belong") && e.getMessage().contains(files[0].toString())
                && e.getMessage().contains(files[1].toString()), e.getMessage());
    }

    @Test
    void anRsaKeyForAnEcCertificateIsRefused() throws Exception {
        X509Certificate cert = TestCertificates.selfSigned(TestCertificates.ecKeys());
        Path[] files = TestCertificates.write(dir, TestCertificates.pem(cert), TestCertificates.pkcs8(TestCertificates.rsaKeys().getPrivate()));
        TlsIdentityException e = assertThrows(TlsIdentityException.class, () -> PemFiles.read(files[0], files[1]));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void missingFilesAndFilesWithoutTheBlockAreNamed() throws Exception {
        TestCertificates.PemPair pair = TestCertificates.selfSignedFiles(dir);
        Path[] files = {pair.certificateFile(), pair.keyFile()};
        Path missing = dir.resolve("missing.pem");
        assertEquals(missing + " does not exist", assertThrows(TlsIdentityException.class, () -> PemFiles.read(missing, files[1])).getMessage());
        assertEquals(missing + " does not exist", assertThrows(TlsIdentityException.class, () -> PemFiles.read(files[0], missing)).getMessage());
        // the files swapped: no certificate in the key file, no key in the certificate file
        assertTrue(assertThrows(TlsIdentityException.class, () -> PemFiles.read(files[1], files[1])).getMessage().contains("no CERTIFICATE"));
        assertTrue(assertThrows(TlsIdentityException.class, () -> PemFiles.read(files[0], files[0])).getMessage().contains("no PRIVATE KEY"));
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
        KeyPair keys = TestCertificates.ecKeys();
        X509Certificate cert = TestCertificates.selfSigned(keys);
        java.io.StringWriter encrypted = new java.io.StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(encrypted)) {
            pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        }
        Path[] files = TestCertificates.write(dir, TestCertificates.pem(cert), encrypted.toString());
        TlsIdentityException e = assertThrows(TlsIdentityException.class, () -> PemFiles.read(files[0], files[1]));
        assertTrue(e.getMessage().contains("encrypted") && e.getMessage().contains("openssl pkey"), e.getMessage());
    }

    @Test
    void writtenFilesReadBackAndTheKeyIsPrivateToTheOwner() throws Exception {
        TlsIdentity identity = SelfSignedCertificate.generate("Parley dev certificate", List.of("localhost"), java.time.Duration.ofDays(2));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        PemFiles.write(identity, cert, key);
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        TlsIdentity read = PemFiles.read(cert, key);
        assertEquals(identity.certificate(), read.certificate());
        assertEquals(identity.sha256Fingerprint(), read.sha256Fingerprint());
    }
}
