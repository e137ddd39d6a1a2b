package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.IceStats;
import dev.parley.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ICE-TCP (RFC 6544): with every datagram to the SFU's UDP port dropped, as a UDP-blocking
 * firewall would, two Chromium pages still send and receive audio and video through the SFU's
 * passive TCP candidate.
 */
@Tag("browser")
class SfuIceTcpTest {
    @Test
    @Timeout(180)
    void pagesWhoseUdpIsBlockedExchangeMediaOverIceTcp() {
        try (TestServer server = TestServer.start(); Chromium chromium = Chromium.launch()) {
            Sfu sfu = server.server().sfu();
            assertTrue(sfu.tcpPort() > 0, "ICE-TCP listens");
            sfu.blockUdpForTest(true);
            Page ann = join(chromium, server, "Ann", null);
            String room = ((String) ann.evaluate("location.hash")).substring(1);
            Page bob = join(chromium, server, "Bob", room);
            for (Page page : List.of(ann, bob)) SfuBrowserTest.awaitMedia(page, 1, 1);

            for (Page page : List.of(ann, bob)) {
                assertEquals(List.of("tcp", "tcp"), IceStats.selectedPairProtocols(page, "window.room.sfu.publishPc"),
                        "the publish connection runs over TCP");
                assertEquals(List.of("tcp", "tcp"), IceStats.selectedPairProtocols(page, "window.room.sfu.subscribePc"),
                        "the subscribe connection runs over TCP");
            }
            var blocked = server.server().metrics().find("parley.rtc.dropped").tag("reason", "unknown-source").counter();
            assertTrue(blocked != null && blocked.count() > 0, "the browsers did try UDP first, and it was dropped");
        }
    }

    private static Page join(Chromium chromium, TestServer server, String name, String room) {
        Page page = chromium.newPage();
        page.navigate(server.httpUrl("/room") + (room == null ? "" : "#" + room));
        page.fill("#name", name);
        page.click("#join");
        page.waitForFunction("() => document.getElementById('status').textContent.startsWith('in room')");
        return page;
    }
}
