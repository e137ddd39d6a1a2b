package dev.parley.codec.opus;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtp.RtpHeaderExtension;
import dev.parley.codec.rtp.RtpPacket;
import dev.parley.codec.rtp.RtpPacketView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpusTest {
    static Stream<Arguments> tocs() {
        return Stream.of(
                // Chromium's usual 20 ms fullband hybrid mono packet.
                Arguments.of(0x78, OpusToc.Mode.HYBRID, OpusToc.Bandwidth.FULLBAND, 20_000, false),
                Arguments.of(0x00, OpusToc.Mode.SILK, OpusToc.Bandwidth.NARROWBAND, 10_000, false),
                Arguments.of(0x2C, OpusToc.Mode.SILK, OpusToc.Bandwidth.MEDIUMBAND, 20_000, true),
                Arguments.of(0x58, OpusToc.Mode.SILK, OpusToc.Bandwidth.WIDEBAND, 60_000, false),
                Arguments.of(0x60, OpusToc.Mode.HYBRID, OpusToc.Bandwidth.SUPERWIDEBAND, 10_000, false),
                Arguments.of(0x80, OpusToc.Mode.CELT, OpusToc.Bandwidth.NARROWBAND, 2_500, false),
                Arguments.of(0xA8, OpusToc.Mode.CELT, OpusToc.Bandwidth.WIDEBAND, 5_000, false),
                Arguments.of(0xD0, OpusToc.Mode.CELT, OpusToc.Bandwidth.SUPERWIDEBAND, 10_000, false),
                Arguments.of(0xFC, OpusToc.Mode.CELT, OpusToc.Bandwidth.FULLBAND, 20_000, true));
    }

    @ParameterizedTest
    @MethodSource("tocs")
    void decodesTheTocByte(int toc, OpusToc.Mode mode, OpusToc.Bandwidth bandwidth, int micros, boolean stereo) {
        OpusToc t = OpusToc.of((byte) toc);
        assertEquals(mode, t.mode());
        assertEquals(bandwidth, t.bandwidth());
        assertEquals(micros, t.frameDurationMicros());
        assertEquals(stereo, t.stereo());
        assertEquals((byte) toc, t.toByte());
    }

    @Test
    void countsFramesPerCode() {
        assertEquals(1, OpusPacket.frameCount(new byte[] {0x78, 1, 2}, 0, 3));
        assertEquals(2, OpusPacket.frameCount(new byte[] {0x79, 1, 2}, 0, 3));
        assertEquals(2, OpusPacket.frameCount(new byte[] {0x7A, 1, 2}, 0, 3));
        assertEquals(3, OpusPacket.frameCount(new byte[] {0x7B, 3, 0}, 0, 3));
        assertEquals(960, OpusPacket.durationSamples48k(new byte[] {0x78}, 0, 1));
        assertEquals(2880, OpusPacket.durationSamples48k(new byte[] {0x7B, 3}, 0, 2));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("code 1 odd length", new byte[] {0x79, 1}),
                Arguments.of("code 2 without length", new byte[] {0x7A}),
                Arguments.of("code 3 without count", new byte[] {0x7B}),
                Arguments.of("code 3 zero frames", new byte[] {0x7B, 0}),
                Arguments.of("code 3 over 120 ms", new byte[] {0x1B, 3})); // 3 x 60 ms SILK
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPackets(String name, byte[] packet) {
        assertThrows(OpusParseException.class, () -> OpusPacket.frameCount(packet, 0, packet.length));
    }

    @Test
    void readsAudioLevelFromTheRtpExtension() {
        byte[] b = RtpPacket.of(111, 1, 960, 5, false, new byte[] {0x78})
                .withExtensions(List.of(new RtpHeaderExtension(1, new byte[] {AudioLevel.encode(5, true)})))
                .marshal();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        int raw = AudioLevel.rawValue(v, 1);
        assertEquals(5, AudioLevel.level(raw));
        assertTrue(AudioLevel.voiceActivity(raw));
        assertEquals(-1, AudioLevel.rawValue(v, 2));
    }

    @Test
    void emptyTwoByteAudioLevelElementIsRejected() {
        byte[] b = RtpPacket.of(111, 1, 960, 5, false, new byte[] {0x78})
                .withExtensions(List.of(new RtpHeaderExtension(1, new byte[0]))).marshal();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        assertThrows(OpusParseException.class, () -> AudioLevel.rawValue(v, 1));
    }

    @Test
    void silenceIsLevel127WithoutVoice() {
        int raw = AudioLevel.encode(AudioLevel.SILENCE, false) & 0xFF;
        assertEquals(127, AudioLevel.level(raw));
        assertFalse(AudioLevel.voiceActivity(raw));
    }
}
