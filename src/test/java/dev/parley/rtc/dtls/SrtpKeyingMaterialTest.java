package dev.parley.rtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.rtc.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

class SrtpKeyingMaterialTest {
    @Test
    void exportIsSplitAsRfc5764Section42Lays() {
        byte[] exported = new byte[60];
        for (int i = 0; i < exported.length; i++) {
            exported[i] = (byte) i;
        }
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.split(SrtpProfile.AES_CM_128_HMAC_SHA1_80, DtlsRole.SERVER, exported);

        assertEquals(60, SrtpKeyingMaterial.exportLength(SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        assertEquals(56, SrtpKeyingMaterial.exportLength(SrtpProfile.AEAD_AES_128_GCM));
        assertArrayEquals(range(0, 16), keys.clientWriteKey());
        assertArrayEquals(range(16, 32), keys.serverWriteKey());
        assertArrayEquals(range(32, 46), keys.clientWriteSalt());
        assertArrayEquals(range(46, 60), keys.serverWriteSalt());
    }

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
