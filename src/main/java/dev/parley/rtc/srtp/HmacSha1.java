package dev.parley.rtc.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over two {@link MessageDigest}s, writing the tag into a caller buffer.
 * {@code javax.crypto.Mac.doFinal(byte[], int)} allocates a fresh array per call inside the
 * JDK; this does not, and runs the same SHA-1 intrinsic, with the same number of compressions.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-1", e);
        }
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5C);
        }
        inner.update(innerPad);
    }

    void update(byte[] buf, int off, int len) {
        inner.update(buf, off, len);
    }

    /** Writes the 20-byte tag to {@code out[at…]} and readies for the next message. */
    void doFinal(byte[] out, int at) {
        try {
            inner.digest(innerHash, 0, LENGTH);
            inner.update(innerPad);
            outer.update(outerPad);
            outer.update(innerHash);
            outer.digest(out, at, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
