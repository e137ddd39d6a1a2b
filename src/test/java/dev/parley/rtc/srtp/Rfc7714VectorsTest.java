package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 7714 §16 (SRTP) and §17 (SRTCP) AEAD_AES_128_GCM vectors; the keys there are session keys. */
class Rfc7714VectorsTest {
    private static final byte[] KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = Hex.bytes("517569642070726f2071756f"); // "Quid pro quo"

    private static final String RTP = "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973"
            + "20646976 69736120 696e2070 61727465 73207472 6573";
    private static final String SRTP = "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca"
            + "be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce";
    private static final String RTCP = "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930"
            + "4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef";
    private static final String SRTCP = "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7"
            + "6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
            + "45d9eade 800005d4";
    /** §17.3: E = 0, authenticated but not encrypted. */
    private static final String SRTCP_AUTH_ONLY = RTCP + "841dd968 3dd78ec9 2ae58790 125f62b3 000005d4";

    private static SrtpSession session() {
        return SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM,
                new SessionKeys(KEY, new byte[0], SALT, KEY, new byte[0], SALT));
    }

    private static byte[] withRoom(String hex, int room) {
        byte[] b = Hex.bytes(hex);
        return Arrays.copyOf(b, b.length + room);
    }

    @Test
    void rtpEncryptionMatchesSection16() {
        byte[] buf = withRoom(RTP, 16);
        int length = session().protectRtp(buf, 0, buf.length - 16);
        assertEquals(Hex.of(Hex.bytes(SRTP), 0, Hex.bytes(SRTP).length), Hex.of(buf, 0, length));
    }

    @Test
    void rtpDecryptionMatchesSection16() {
        byte[] buf = Hex.bytes(SRTP);
        int length = session().unprotectRtp(buf, 0, buf.length);
        assertEquals(Hex.of(Hex.bytes(RTP), 0, Hex.bytes(RTP).length), Hex.of(buf, 0, length));
    }

    @Test
    void rtcpEncryptionMatchesSection17() {
        SrtpSession session = session();
        session.setNextRtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = withRoom(RTCP, 20);
        int length = session.protectRtcp(buf, 0, buf.length - 20);
        assertEquals(Hex.of(Hex.bytes(SRTCP), 0, Hex.bytes(SRTCP).length), Hex.of(buf, 0, length));
    }

    @Test
    void rtcpDecryptionMatchesSection17() {
        byte[] buf = Hex.bytes(SRTCP);
        int length = session().unprotectRtcp(buf, 0, buf.length);
        assertEquals(Hex.of(Hex.bytes(RTCP), 0, Hex.bytes(RTCP).length), Hex.of(buf, 0, length));
    }

    @Test
    void authenticatedOnlyRtcpVerifiesAsSection17() {
        byte[] buf = Hex.bytes(SRTCP_AUTH_ONLY);
        int length = session().unprotectRtcp(buf, 0, buf.length);
        assertEquals(Hex.of(Hex.bytes(RTCP), 0, Hex.bytes(RTCP).length), Hex.of(buf, 0, length));
    }

    @Test
    void tamperedVectorFailsAuthentication() {
        byte[] buf = Hex.bytes(SRTP);
        buf[20] ^= 1;
        assertEquals(SrtpFailure.AUTH_FAILED.code(), session().unprotectRtp(buf, 0, buf.length));
    }
}
