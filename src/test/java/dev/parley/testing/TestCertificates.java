package dev.parley.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates and PEM files made in the test with BouncyCastle directly (not with Parley's own
 * generator, which is under test): any validity period, RSA or EC keys, every key file form.
 */
public final class TestCertificates {
    private TestCertificates() {}

    public static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    public static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A certificate for {@code keys} signed by {@code issuerKeys}, with DNS names and IP literals as subjectAltName. */
    public static X509Certificate certificate(KeyPair keys, String subject, KeyPair issuerKeys, String issuer,
            Instant notBefore, Instant notAfter, List<String> names) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + subject),
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
                .map(n -> new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new)));
        String signature = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(issuerKeys.getPrivate())));
    }

    /** A self-signed certificate valid from an hour ago for a day, for localhost and 127.0.0.1 plus {@code names}. */
    public static X509Certificate selfSigned(KeyPair keys, String... names) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("localhost", "127.0.0.1"));
        all.addAll(List.of(names));
        Instant now = Instant.now();
        return certificate(keys, "parley.test", keys, "parley.test", now.minusSeconds(3600), now.plusSeconds(86_400), all);
    }

    /** PKCS#8 ({@code PRIVATE KEY}), as certbot writes privkey.pem. */
    public static String pkcs8(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * The traditional OpenSSL form: PKCS#1 {@code RSA PRIVATE KEY}, or SEC1 {@code EC PRIVATE KEY}
     * with the curve named inside, as {@code openssl ec} writes it (RFC 5915 §3).
     */
    public static String traditional(PrivateKey key) throws IOException {
        if (key.getAlgorithm().equals("EC")) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            return pem("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(key);
        }
        return out.toString();
    }

    public static String pem(X509Certificate... chain) throws Exception {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : chain) text.append(pem("CERTIFICATE", certificate.getEncoded()));
        return text.toString();
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A certificate with its keys, written as certbot's fullchain.pem and privkey.pem (PKCS#8). */
    public record PemPair(X509Certificate certificate, KeyPair keys, Path certificateFile, Path keyFile) {
        /** The flags that serve this pair over HTTPS on a free port. */
        public String[] tlsFlags() {
            return new String[] {"--tls-cert", certificateFile.toString(), "--tls-key", keyFile.toString(), "--tls-port", "0"};
        }
    }

    /** A fresh EC key and {@link #selfSigned} certificate for {@code names}, written into {@code dir}. */
    public static PemPair selfSignedFiles(Path dir, String... names) throws Exception {
        KeyPair keys = ecKeys();
        X509Certificate certificate = selfSigned(keys, names);
        Path[] files = write(dir, pem(certificate), pkcs8(keys.getPrivate()));
        return new PemPair(certificate, keys, files[0], files[1]);
    }

    /** Writes a certificate and key pair of files into {@code dir}; returns {cert, key}. */
    public static Path[] write(Path dir, String certificatePem, String keyPem) throws IOException {
        Path cert = Files.writeString(dir.resolve("fullchain.pem"), certificatePem);
        Path key = Files.writeString(dir.resolve("privkey.pem"), keyPem);
        return new Path[] {cert, key};
    }

    /** A TLS context that trusts exactly {@code certificate}, as a device does after its owner accepted it. */
    public static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("parley", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
