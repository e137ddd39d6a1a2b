package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Chromium processes, each with its own fake microphone file: one talks (a loud, modulated
 * tone), one is silent. The SFU reads the RFC 6464 audio levels Chromium puts on every audio
 * packet and names the talker dominant speaker over signaling, for both pages.
 */
@Tag("browser")
class ActiveSpeakerBrowserTest {
    private static final int RATE = 48_000;

    @TempDir
    Path dir;
    private TestServer server;
    private Chromium loudBrowser;
    private Chromium quietBrowser;

    @AfterEach
    void stop() {
        if (loudBrowser != null) loudBrowser.close();
        if (quietBrowser != null) quietBrowser.close();
        if (server != null) server.close();
    }

    /**
     * 16-bit mono WAV of {@code seconds}: a tone sweeping 300-900 Hz with a 3 Hz "syllable"
     * envelope (a steady tone would be learnt as noise by the noise suppressor), or silence.
     */
    static Path wav(Path file, double seconds, boolean loud) {
        int samples = (int) (RATE * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(samples * 2);
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / RATE;
            double frequency = 300 + 600 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * frequency / RATE;
            double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3 * t);
            b.putShort(loud ? (short) (Math.sin(phase) * envelope * 20_000) : 0);
        }
        try {
            return Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theTalkingParticipantBecomesDominantSpeakerForEveryone() {
        server = TestServer.start();
        loudBrowser = Chromium.launch(List.of("--use-file-for-fake-audio-capture=" + wav(dir.resolve("talk.wav"), 10, true)));
        quietBrowser = Chromium.launch(List.of("--use-file-for-fake-audio-capture=" + wav(dir.resolve("silence.wav"), 10, false)));
        Page quiet = SimulcastBrowserTest.joinRoom(quietBrowser, server, "Quiet", null);
        String room = ((String) quiet.evaluate("location.hash")).substring(1);
        Page loud = SimulcastBrowserTest.joinRoom(loudBrowser, server, "Loud", room);
        String loudId = (String) loud.evaluate("window.room.signaling.peerId");

        for (Page page : List.of(quiet, loud)) {
            try {
                page.waitForFunction("id => window.room.sfu.dominantSpeaker === id", loudId);
            } catch (RuntimeException e) {
                throw new AssertionError("dominant speaker seen: " + page.evaluate("window.room.sfu.dominantSpeaker")
                        + ", expected the talker " + loudId, e);
            }
        }
        quiet.waitForTimeout(3000);
        assertEquals(loudId, quiet.evaluate("window.room.sfu.dominantSpeaker"), "the talker keeps the floor; silence never takes it");
    }
}
