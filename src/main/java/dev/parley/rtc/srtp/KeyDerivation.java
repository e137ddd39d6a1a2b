package dev.parley.rtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 3711 §4.3 key derivation with the AES-CM PRF (§4.3.3), key derivation rate zero.
 * RFC 7714 §11 reuses it for AES-GCM with a 96-bit master salt, which is right-padded to the
 * 112 bits the PRF input expects (as libsrtp does, so browsers agree).
 */
final class KeyDerivation {
    // RFC 3711 §4.3.1 labels.
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    /** HMAC-SHA1 session auth key length (RFC 3711 §8.2: n_a = 160). */
    static final int AUTH_KEY_LENGTH = 20;

    private KeyDerivation() {
    }

    static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("master key/salt length does not fit " + profile);
        }
        int authLength = profile.isAead() ? 0 : AUTH_KEY_LENGTH;
        int keyLength = profile.keyLength();
        int saltLength = profile.saltLength();
        return new SessionKeys(
                derive(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, keyLength),
                derive(masterKey, masterSalt, LABEL_RTP_AUTH, authLength),
                derive(masterKey, masterSalt, LABEL_RTP_SALT, saltLength),
                derive(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, keyLength),
                derive(masterKey, masterSalt, LABEL_RTCP_AUTH, authLength),
                derive(masterKey, masterSalt, LABEL_RTCP_SALT, saltLength));
    }

    /**
     * One session key: AES-CM keystream under the master key with IV = (label XOR-ed into the
     * salt at key_id's position) * 2^16. With kdr = 0 the r = index DIV kdr term is zero.
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (length == 0) {
            return new byte[0];
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        // key_id = label || r (56 bits) is right-aligned in the 112-bit x, so the label is byte 7.
        iv[7] ^= (byte) label;
        try {
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return ctr.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES/CTR", e);
        }
    }
}
