package dev.parley.rtc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {
    @Test
    void namesGoIntoSubjectAltNameAsDnsNamesAndIpAddresses() throws Exception {
        TlsIdentity identity = SelfSignedCertificate.generate("Parley dev certificate",
                List.of("localhost", "laptop.local", "192.168.1.20", "::1", "localhost"), Duration.ofDays(365));
        assertEquals(List.of("localhost", "laptop.local", "192.168.1.20", "0:0:0:0:0:0:0:1"), identity.names());
        List<List<?>> raw = List.copyOf(identity.certificate().getSubjectAlternativeNames());
        assertEquals(List.of(2, 2, 7, 7), raw.stream().map(entry -> entry.get(0)).toList(), "dNSName = 2, iPAddress = 7");
        assertEquals("CN=Parley dev certificate", identity.subject());
        assertEquals("SHA256withECDSA", identity.certificate().getSigAlgName());
        identity.certificate().verify(identity.certificate().getPublicKey()); // self-signed
    }

    @Test
    void validFromAnHourAgoForTheGivenPeriod() {
        Instant before = Instant.now();
        TlsIdentity identity = SelfSignedCertificate.generate("x", List.of("localhost"), Duration.ofDays(10));
        assertTrue(identity.notBefore().isBefore(before.minus(Duration.ofMinutes(59))));
        assertTrue(!identity.notAfter().isBefore(before.plus(Duration.ofDays(10)).minusSeconds(2)));
    }

    @Test
    void fingerprintIsTheSha256OfTheDerInColonHexAsBrowsersShowIt() throws Exception {
        TlsIdentity identity = SelfSignedCertificate.generate("x", List.of("localhost"), Duration.ofDays(1));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.certificate().getEncoded());
        assertEquals(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest), identity.sha256Fingerprint());
        assertTrue(identity.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }
}
