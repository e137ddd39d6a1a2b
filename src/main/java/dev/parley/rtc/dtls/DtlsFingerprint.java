package dev.parley.rtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 §5: {@code a=fingerprint:sha-256 AB:CD:…}).
 *
 * @param algorithm hash function name in SDP's lower-case form, e.g. {@code sha-256}
 * @param digest    the hash of the DER certificate
 */
public record DtlsFingerprint(String algorithm, byte[] digest) {

    public DtlsFingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        digest = digest.clone();
        javaName(algorithm); // reject hash functions the JDK cannot compute
    }

    /** SHA-256 fingerprint of a DER-encoded certificate, the hash browsers use. */
    public static DtlsFingerprint sha256(byte[] certificateDer) {
        return of("sha-256", certificateDer);
    }

    static DtlsFingerprint of(String algorithm, byte[] certificateDer) {
        try {
            return new DtlsFingerprint(algorithm, MessageDigest.getInstance(javaName(algorithm)).digest(certificateDer));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported fingerprint hash " + algorithm, e);
        }
    }

    /** Parses the attribute value after {@code a=fingerprint:}, e.g. {@code sha-256 AB:CD:…}. */
    public static DtlsFingerprint parse(String sdpValue) {
        String[] parts = sdpValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("fingerprint must be '<hash> <hex:hex:…>': " + sdpValue);
        }
        return new DtlsFingerprint(parts[0], HexFormat.of().parseHex(parts[1].replace(":", "")));
    }

    /** The attribute value for SDP: hash name, space, upper-case hex pairs joined by colons. */
    public String toSdpValue() {
        return algorithm + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** Whether this fingerprint is that of the given DER certificate, compared in constant time. */
    public boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(digest, of(algorithm, certificateDer).digest);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && f.algorithm.equals(algorithm)
                && MessageDigest.isEqual(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    private static String javaName(String sdpName) {
        return switch (sdpName) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash " + sdpName);
        };
    }
}
