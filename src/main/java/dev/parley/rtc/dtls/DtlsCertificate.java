package dev.parley.rtc.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate and its key, as WebRTC endpoints use (RFC 8827 §6.5):
 * trust comes from the fingerprint in the signed SDP, so no CA and a short validity suffice.
 * Generate one per process (or per transport) and put {@link #fingerprint()} in every answer.
 */
public final class DtlsCertificate {
    /** Validity browsers also use for their generated certificates. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private final AsymmetricKeyParameter privateKey;
    private final byte[] der;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(AsymmetricKeyParameter privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.fingerprint = DtlsFingerprint.sha256(der);
    }

    /** A fresh key pair and certificate valid from a day ago (clock skew) for {@link #DEFAULT_VALIDITY}. */
    public static DtlsCertificate generate() {
        return generate(DEFAULT_VALIDITY);
    }

    public static DtlsCertificate generate(Duration validity) {
        SecureRandom random = new SecureRandom();
        X9ECParameters p256 = ECNamedCurveTable.getByName("P-256");
        // Named-curve parameters so the certificate names the curve by OID, as browsers require.
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, p256);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();
        try {
            X500Name name = new X500Name("CN=parley");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(63, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
            AlgorithmIdentifier signature = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
            byte[] der = builder.build(new BcECContentSignerBuilder(signature, digest).build(keyPair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(keyPair.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /** SHA-256 fingerprint for {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** DER encoding of the certificate. */
    public byte[] der() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    byte[] derUnsafe() {
        return der;
    }
}
