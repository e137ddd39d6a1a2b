package dev.parley.rtc.srtp;

import java.util.HexFormat;

/** Test helper: hex with the RFCs' spacing and line breaks tolerated. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }
}
