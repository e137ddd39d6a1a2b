package dev.parley.rtc.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A TLS server identity: a private key and the certificate chain it proves, leaf first. Made by
 * {@link PemFiles#read} or {@link SelfSignedCertificate#generate}; the key always matches the leaf.
 */
public final class TlsIdentity {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    /** Refuses a key that does not belong to the leaf certificate (it would fail every handshake). */
    public TlsIdentity(PrivateKey privateKey, List<X509Certificate> chain) throws TlsIdentityException {
        if (chain.isEmpty()) throw new TlsIdentityException("no certificate");
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        if (!keyMatches(privateKey, certificate().getPublicKey())) {
            throw new TlsIdentityException("the private key does not belong to the certificate " + subject());
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Leaf first, then intermediates, as TLS sends them (RFC 8446 §4.4.2). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    public Instant notBefore() {
        return certificate().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** DNS names and IP addresses of the leaf's subjectAltName extension (RFC 5280 §4.2.1.6). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            var alternatives = certificate().getSubjectAlternativeNames();
            if (alternatives == null) return names;
            for (List<?> entry : alternatives) {
                int type = (Integer) entry.get(0);
                if (type == 2 || type == 7) names.add(String.valueOf(entry.get(1))); // dNSName, iPAddress
            }
        } catch (CertificateParsingException e) {
            // a certificate whose SAN does not parse names nothing
        }
        return names;
    }

    /**
     * SHA-256 of the leaf's DER encoding in upper-case hex pairs joined by colons, as browsers show
     * it in their certificate viewer, so a person can compare it on another device.
     */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** An in-memory PKCS#12 key store with this identity under {@code alias}, for JSSE key managers. */
    public KeyStore keyStore(String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, privateKey, password, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a key store for " + subject(), e);
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean keyMatches(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) return false; // a key type TLS servers here do not use (DSA, RSASSA-PSS)
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) { // e.g. an RSA key for an EC certificate
            return false;
        }
    }
}
