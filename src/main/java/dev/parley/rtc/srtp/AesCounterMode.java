package dev.parley.rtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 §4.1.1 defines it, built on one AES/ECB instance keyed once:
 * counter blocks are laid out in a reused buffer and encrypted in a single call. This avoids
 * {@code Cipher.init} (and its IV object) per packet, which AES/CTR would need.
 */
final class AesCounterMode {
    private static final int BLOCK = 16;

    private final Cipher ecb;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES/ECB", e);
        }
    }

    /**
     * XORs the keystream starting at {@code iv} into {@code buf[off, off+len)}. The IV's low 16
     * bits are zero by construction (§4.1.1), so they count blocks without carrying; packets are
     * far below the 2^16-block limit (callers reject larger).
     */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        if (len <= 0) {
            return;
        }
        int blocks = (len + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        if (counters.length < bytes) {
            // Grows once to the largest packet seen; steady state does not come here.
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        for (int b = 0, p = 0; b < blocks; b++, p += BLOCK) {
            System.arraycopy(iv, 0, counters, p, 14);
            counters[p + 14] = (byte) (b >>> 8);
            counters[p + 15] = (byte) b;
        }
        try {
            ecb.update(counters, 0, bytes, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < len; i++) {
            buf[off + i] ^= keystream[i];
        }
    }

    /** Largest payload {@link #apply} accepts (2^16 blocks). */
    static int maxLength() {
        return 0xFFFF * BLOCK;
    }
}
