package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation). */
class Rfc3711VectorsTest {
    private static final byte[] B2_SESSION_KEY = Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final byte[] B2_IV = Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    @Test
    void aesCounterModeKeystreamMatchesAppendixB2() {
        byte[] segment = new byte[1044512]; // 65282 AES blocks, as the appendix states
        new AesCounterMode(B2_SESSION_KEY).apply(B2_IV, segment, 0, segment.length);

        assertEquals("e03ead0935c95e80e166b16dd92b4eb4"
                + "d23513162b02d0f72a43a2fe4a5f97ab"
                + "41e95b3bb0a2e8dd477901e4fca894c0", Hex.of(segment, 0, 48));
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4"
                + "362b7c3c6773516318a077d7fc5073ae"
                + "6a2cc3787889374fbeb4c81b17ba6c44", Hex.of(segment, 0xFEFF * 16, 48));
    }

    @Test
    void protectedRtpPayloadIsTheB2KeystreamForZeroSsrcAndIndex() {
        // With SSRC 0 and index 0 the §4.1.1 IV is the shifted salt, so a zero payload
        // encrypts to the keystream itself: this checks the packet path's IV, not only AES.
        SessionKeys keys = new SessionKeys(B2_SESSION_KEY, new byte[20], Arrays.copyOf(B2_IV, 14),
                B2_SESSION_KEY, new byte[20], Arrays.copyOf(B2_IV, 14));
        SrtpSession session = SrtpSession.withSessionKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, keys);
        byte[] packet = new byte[12 + 32 + 10];
        packet[0] = (byte) 0x80;

        int length = session.protectRtp(packet, 0, 44);

        assertEquals(54, length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab",
                Hex.of(packet, 12, 32));
    }

    @Test
    void keyDerivationMatchesAppendixB3() {
        byte[] masterKey = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");

        assertArrayEquals(Hex.bytes("C61E7A93744F39EE10734AFE3FF7A087"),
                KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(Hex.bytes("30CBBC08863D8C85D49DB34A9AE1"),
                KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.LABEL_RTP_SALT, 14));
        assertArrayEquals(Hex.bytes("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"),
                KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.LABEL_RTP_AUTH, 94));
    }

    @Test
    void sessionKeysUseTheB3DerivationForEachLabel() {
        SessionKeys keys = KeyDerivation.derive(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), Hex.bytes("0EC675AD498AFEEBB6960B3AABE6"));

        assertArrayEquals(Hex.bytes("C61E7A93744F39EE10734AFE3FF7A087"), keys.rtpKey());
        assertArrayEquals(Hex.bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.rtpAuthKey());
        assertArrayEquals(Hex.bytes("30CBBC08863D8C85D49DB34A9AE1"), keys.rtpSalt());
        assertEquals(16, keys.rtcpKey().length);
        assertEquals(20, keys.rtcpAuthKey().length);
        assertEquals(14, keys.rtcpSalt().length);
    }
}
