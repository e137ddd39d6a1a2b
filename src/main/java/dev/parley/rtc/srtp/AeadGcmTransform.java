package dev.parley.rtc.srtp;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM for SRTP (RFC 7714 §8) and SRTCP (§9) over the JDK's AES/GCM.
 *
 * <p>Allocation: JCE has no way to re-IV a GCM cipher without {@code init}, and
 * {@link GCMParameterSpec} copies its IV, so each packet allocates a spec and whatever the
 * JDK's GCM keeps per init. A failed tag also allocates the exception JCE throws. Both are
 * small and short-lived; the bench measures what they cost.
 */
final class AeadGcmTransform implements PacketTransform {
    private static final int TAG = 16;
    private static final int TAG_BITS = TAG * 8;

    private final Cipher rtpCipher;
    private final Cipher rtcpCipher;
    private final SecretKey rtpKey;
    private final SecretKey rtcpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[12];
    private final byte[] indexWord = new byte[4];

    AeadGcmTransform(SessionKeys keys) {
        try {
            rtpCipher = Cipher.getInstance("AES/GCM/NoPadding");
            rtcpCipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES/GCM", e);
        }
        rtpKey = new SecretKeySpec(keys.rtpKey(), "AES");
        rtcpKey = new SecretKeySpec(keys.rtcpKey(), "AES");
        rtpSalt = keys.rtpSalt();
        rtcpSalt = keys.rtcpSalt();
    }

    /**
     * JCE refuses to encrypt twice in a row under the same key and IV. SRTP does that legitimately
     * when a packet is retransmitted on its own SSRC (NACK without RTX): same index, same bytes,
     * same output, no nonce misuse. Re-keying once with a throwaway IV clears JCE's memory.
     */
    private static void initForEncryption(Cipher cipher, SecretKey key, byte[] iv) throws GeneralSecurityException {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        } catch (InvalidAlgorithmParameterException sameIvAsLastTime) {
            byte[] other = iv.clone();
            other[0] ^= 1;
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, other));
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        }
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        try {
            initForEncryption(rtpCipher, rtpKey, rtpIv(ssrc, index));
            rtpCipher.updateAAD(buf, off, headerLength);
            int out = rtpCipher.doFinal(buf, off + headerLength, len - headerLength, buf, off + headerLength);
            return headerLength + out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM protect failed", e);
        }
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        try {
            rtpCipher.init(Cipher.DECRYPT_MODE, rtpKey, new GCMParameterSpec(TAG_BITS, rtpIv(ssrc, index)));
            rtpCipher.updateAAD(buf, off, headerLength);
            int out = rtpCipher.doFinal(buf, off + headerLength, len - headerLength, buf, off + headerLength);
            return headerLength + out;
        } catch (AEADBadTagException e) {
            return SrtpFailure.AUTH_FAILED.code();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unprotect failed", e);
        }
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        int word = index | 0x80000000;
        AesCmTransform.putInt(indexWord, 0, word);
        try {
            initForEncryption(rtcpCipher, rtcpKey, rtcpIv(ssrc, index));
            // §9.2: AAD is the first 8 octets followed by the E-bit/index word.
            rtcpCipher.updateAAD(buf, off, 8);
            rtcpCipher.updateAAD(indexWord, 0, 4);
            int out = rtcpCipher.doFinal(buf, off + 8, len - 8, buf, off + 8);
            System.arraycopy(indexWord, 0, buf, off + 8 + out, 4);
            return 8 + out + 4;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM protect failed", e);
        }
    }

    @Override
    public int rtcpIndexWordOffset(int off, int len) {
        // §9.2 (Figure 3): header | ciphertext | tag | E | SRTCP index — the word comes last.
        return off + len - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int word) {
        AesCmTransform.putInt(indexWord, 0, word);
        int sealedEnd = len - 4; // header, body or ciphertext, and tag
        try {
            rtcpCipher.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG_BITS, rtcpIv(ssrc, word)));
            if (word < 0) {
                rtcpCipher.updateAAD(buf, off, 8);
                rtcpCipher.updateAAD(indexWord, 0, 4);
                return 8 + rtcpCipher.doFinal(buf, off + 8, sealedEnd - 8, buf, off + 8);
            }
            // §9.3 E = 0: the whole packet is AAD and only the tag is "ciphertext".
            int clear = sealedEnd - TAG;
            rtcpCipher.updateAAD(buf, off, clear);
            rtcpCipher.updateAAD(indexWord, 0, 4);
            rtcpCipher.doFinal(buf, off + clear, TAG, buf, off + clear);
            return clear;
        } catch (AEADBadTagException e) {
            return SrtpFailure.AUTH_FAILED.code();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unprotect failed", e);
        }
    }

    /** §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt. */
    private byte[] rtpIv(int ssrc, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, 12);
        xorWord(2, ssrc);
        xorWord(6, (int) (index >>> 16));
        iv[10] ^= (byte) (index >>> 8);
        iv[11] ^= (byte) index;
        return iv;
    }

    /** §9.1: IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt. */
    private byte[] rtcpIv(int ssrc, int index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 12);
        xorWord(2, ssrc);
        xorWord(8, index & 0x7FFFFFFF);
        return iv;
    }

    private void xorWord(int at, int v) {
        iv[at] ^= (byte) (v >>> 24);
        iv[at + 1] ^= (byte) (v >>> 16);
        iv[at + 2] ^= (byte) (v >>> 8);
        iv[at + 3] ^= (byte) v;
    }
}
