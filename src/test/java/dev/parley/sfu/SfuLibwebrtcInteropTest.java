package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.LibwebrtcPublisher;
import dev.parley.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop outside the browser: Google's libwebrtc (webrtc-java) publishes synthetic audio and
 * video over Parley's signaling, and a Chromium page in the same room decodes the video and
 * receives the audio through the SFU.
 */
@Tag("browser")
class SfuLibwebrtcInteropTest {
    @Test
    @Timeout(180)
    void chromiumReceivesWhatLibwebrtcPublishes() throws Exception {
        try (TestServer server = TestServer.start(); Chromium chromium = Chromium.launch()) {
            Page page = chromium.newPage();
            page.navigate(server.httpUrl("/room"));
            page.fill("#name", "Ann");
            page.click("#join");
            page.waitForFunction("() => document.getElementById('status').textContent.startsWith('in room')");
            String room = ((String) page.evaluate("location.hash")).substring(1);

            try (LibwebrtcPublisher publisher = LibwebrtcPublisher.join(server.wsUri(), room, "libwebrtc")) {
                publisher.publish(Duration.ofSeconds(30));
                // framesDecoded and audio packetsReceived grow on the Chromium side (the helper checks growth).
                SfuBrowserTest.awaitMedia(page, 1, 1);
                Object streams = page.evaluate("[...window.room.sfu.remoteTracks.values()].map(t => t.peerId)");
                assertEquals(List.of(publisher.peerId(), publisher.peerId()), streams,
                        "both remote tracks are the libwebrtc peer's");
                @SuppressWarnings("unchecked")
                var video = (List<Map<String, Object>>) ((Map<String, Object>) page.evaluate(SfuBrowserTest.INBOUND)).get("video");
                int width = ((Number) video.get(0).get("width")).intValue();
                assertTrue(width > 0 && width <= LibwebrtcPublisher.WIDTH,
                        "the decoded frames are the synthetic ones (320 wide, or scaled down by libwebrtc), not a camera's: " + video);
            }
        }
    }
}
