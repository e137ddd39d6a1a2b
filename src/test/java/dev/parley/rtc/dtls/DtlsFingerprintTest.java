package dev.parley.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class DtlsFingerprintTest {
    @Test
    void sdpValueIsSha256InColonSeparatedUpperCaseHex() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        String value = cert.fingerprint().toSdpValue();

        assertTrue(value.matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), value);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(cert.der());
        assertEquals(new DtlsFingerprint("sha-256", expected), cert.fingerprint());
    }

    @Test
    void parsedSdpValueMatchesTheCertificateItCameFrom() {
        DtlsCertificate cert = DtlsCertificate.generate();
        DtlsFingerprint parsed = DtlsFingerprint.parse("SHA-256 " + cert.fingerprint().toSdpValue().substring(8).toLowerCase());

        assertEquals(cert.fingerprint(), parsed);
        assertTrue(parsed.matches(cert.der()));
        assertFalse(parsed.matches(DtlsCertificate.generate().der()));
    }

    @Test
    void malformedValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("md5 AB:CD"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256 ZZ:00"));
    }

    @Test
    void certificateIsEcdsaP256() throws Exception {
        var x509 = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(DtlsCertificate.generate().der()));
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        var key = (java.security.interfaces.ECPublicKey) x509.getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        x509.checkValidity();
        x509.verify(x509.getPublicKey());
    }
}
