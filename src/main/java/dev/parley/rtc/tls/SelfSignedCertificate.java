package dev.parley.rtc.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed ECDSA P-256 server certificates for development: browsers show a warning once, a
 * person compares {@link TlsIdentity#sha256Fingerprint()} and accepts it. Names go into
 * subjectAltName (RFC 5280 §4.2.1.6), the only place browsers look for them (RFC 6125 §6.4.4).
 */
public final class SelfSignedCertificate {
    private SelfSignedCertificate() {}

    /**
     * A fresh key and certificate valid from an hour ago (clock skew) for {@code validity}.
     *
     * @param names DNS names and IP address literals the certificate is for; IP literals become
     *              iPAddress entries, everything else dNSName
     */
    public static TlsIdentity generate(String commonName, List<String> names, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new TlsIdentity(keys.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException | TlsIdentityException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
    }

    private static GeneralNames alternativeNames(List<String> names) {
        return new GeneralNames(new LinkedHashSet<>(names).stream()
                .map(name -> isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, stripScope(name))
                        : new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new));
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String stripScope(String address) {
        int percent = address.indexOf('%');
        return percent < 0 ? address : address.substring(0, percent);
    }
}
