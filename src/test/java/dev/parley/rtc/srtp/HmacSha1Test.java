package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 2202 HMAC-SHA1 test cases 1, 2 and 6 (key longer than a block), reused twice to check reset. */
class HmacSha1Test {
    private static String hmac(byte[] key, byte[] data) {
        HmacSha1 mac = new HmacSha1(key);
        byte[] out = new byte[20];
        for (int i = 0; i < 2; i++) {
            mac.update(data, 0, data.length);
            mac.doFinal(out, 0);
        }
        return Hex.of(out, 0, 20);
    }

    @Test
    void matchesRfc2202() {
        byte[] key1 = new byte[20];
        java.util.Arrays.fill(key1, (byte) 0x0b);
        assertEquals("b617318655057264e28bc0b6fb378c8ef146be00",
                hmac(key1, "Hi There".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
                hmac("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
        byte[] key6 = new byte[80];
        java.util.Arrays.fill(key6, (byte) 0xaa);
        assertEquals("aa4ae5e15272d00e95705637ce8a3b55ed402112",
                hmac(key6, "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII)));
    }
}
