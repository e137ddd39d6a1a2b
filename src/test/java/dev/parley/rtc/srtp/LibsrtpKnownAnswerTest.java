package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Known answers from libsrtp's own validation driver (srtp_validate, srtp_validate_gcm): the
 * library browsers use. Unlike the RFC vectors these start from master key and salt, so they
 * pin the whole path a DTLS-exported key takes — key derivation (including the 96-bit GCM
 * salt's padding), IV, tag and SRTCP trailer — against the implementation Parley must talk to.
 * libsrtp numbers its first SRTCP packet 1, so the tests start the index there.
 */
class LibsrtpKnownAnswerTest {
    private static final int SSRC = 0xCAFEBABE;
    private static final String RTP = "800f1234 decafbad cafebabe abababab abababab abababab abababab";
    private static final String RTCP = "81c8000b cafebabe abababab abababab abababab abababab";

    private static final byte[] CM_KEY = Hex.bytes("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] CM_SALT = Hex.bytes("0ec675ad498afeebb6960b3aabe6");
    private static final String CM_SRTP = "800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402"
            + "b78d6acc 99ea179b 8dbb";
    private static final String CM_SRTCP = "81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8"
            + "80000001 993e08cd 54d6c123 0798";

    private static final byte[] GCM_KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = Hex.bytes("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final String GCM_SRTP = "800f1234 decafbad cafebabe c5002ede 04cfdd2e b91159e0 880aa06e"
            + "d2976826 f796b201 df3131a1 27e8a392";
    private static final String GCM_SRTCP = "81c8000b cafebabe c98b8b5d f0392a55 852b6c21 ac8e7025"
            + "c52c6fbe a2b3b446 ea31123b a88ce61e 80000001";

    private static String protectRtp(SrtpSession s, String clear) {
        byte[] b = Arrays.copyOf(Hex.bytes(clear), Hex.bytes(clear).length + 16);
        int n = s.protectRtp(b, 0, Hex.bytes(clear).length);
        return Hex.of(b, 0, n);
    }

    private static String protectRtcp(SrtpSession s, String clear) {
        s.setNextRtcpIndex(SSRC, 1);
        byte[] b = Arrays.copyOf(Hex.bytes(clear), Hex.bytes(clear).length + 20);
        int n = s.protectRtcp(b, 0, Hex.bytes(clear).length);
        return Hex.of(b, 0, n);
    }

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }

    @Test
    void aesCm80MatchesLibsrtpFromMasterKey() {
        SrtpSession sender = SrtpSession.create(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT);
        assertEquals(hex(CM_SRTP), protectRtp(sender, RTP));
        assertEquals(hex(CM_SRTCP), protectRtcp(sender, RTCP));

        SrtpSession receiver = SrtpSession.create(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT);
        byte[] srtp = Hex.bytes(CM_SRTP);
        assertEquals(28, receiver.unprotectRtp(srtp, 0, srtp.length));
        assertEquals(hex(RTP), Hex.of(srtp, 0, 28));
        byte[] srtcp = Hex.bytes(CM_SRTCP);
        assertEquals(24, receiver.unprotectRtcp(srtcp, 0, srtcp.length));
        assertEquals(hex(RTCP), Hex.of(srtcp, 0, 24));
    }

    @Test
    void aeadAes128GcmMatchesLibsrtpFromMasterKey() {
        SrtpSession sender = SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
        assertEquals(hex(GCM_SRTP), protectRtp(sender, RTP));
        assertEquals(hex(GCM_SRTCP), protectRtcp(sender, RTCP));

        SrtpSession receiver = SrtpSession.create(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
        byte[] srtp = Hex.bytes(GCM_SRTP);
        assertEquals(28, receiver.unprotectRtp(srtp, 0, srtp.length));
        assertEquals(hex(RTP), Hex.of(srtp, 0, 28));
        byte[] srtcp = Hex.bytes(GCM_SRTCP);
        assertEquals(24, receiver.unprotectRtcp(srtcp, 0, srtcp.length));
        assertEquals(hex(RTCP), Hex.of(srtcp, 0, 24));
    }
}
