package dev.parley.codec.h264;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class H264PayloadTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("single IDR slice", "65 88840021", true),
                Arguments.of("single SPS", "67 42c01f8c8d40", true),
                Arguments.of("single PPS", "68 ce3c80", false),
                Arguments.of("single non-IDR slice", "41 9a0203", false),
                Arguments.of("SEI", "06 0501", false),
                Arguments.of("STAP-A SPS+PPS (Chromium key frame start)", "78 0007 6742c01f8c8d40 0004 68ce3c80", true),
                Arguments.of("STAP-A PPS+SEI", "78 0004 68ce3c80 0002 0605", false),
                Arguments.of("STAP-A ending in IDR", "78 0002 0605 0003 658884", true),
                Arguments.of("STAP-B with DON", "79 0001 0007 6742c01f8c8d40", true),
                Arguments.of("FU-A start of IDR", "7c 85 888400", true),
                Arguments.of("FU-A middle of IDR", "7c 05 888400", false),
                Arguments.of("FU-A end of IDR", "7c 45 888400", false),
                Arguments.of("FU-A start of non-IDR", "5c 81 9a02", false),
                Arguments.of("FU-B start of IDR", "7d 85 0001 8884", true),
                Arguments.of("MTAP16 ignored", "7a 00", false),
                Arguments.of("reserved type 30", "7e 00", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void detectsKeyFrames(String name, String hexBytes, boolean key) {
        byte[] b = hex(hexBytes);
        assertEquals(key, H264Payload.isKeyFrame(b, 0, b.length));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("forbidden bit", "e5 00"),
                Arguments.of("FU-A without header", "7c"),
                Arguments.of("STAP-A without NAL units", "78"),
                Arguments.of("STAP-A size truncated", "78 00"),
                Arguments.of("STAP-A size past end", "78 0009 6742"),
                Arguments.of("STAP-A zero size", "78 0000 0002 6742"),
                Arguments.of("STAP-A trailing byte", "78 0002 6742 00"),
                Arguments.of("STAP-B without DON", "79 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPayloads(String name, String hexBytes) {
        byte[] b = hex(hexBytes);
        assertThrows(H264ParseException.class, () -> H264Payload.isKeyFrame(b, 0, b.length));
    }
}
