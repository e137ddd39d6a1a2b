package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.signaling.auth.ApiKey;
import dev.parley.signaling.auth.JoinToken;
import dev.parley.signaling.auth.TokenMinter;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The group call app with join tokens: a viewer link (canPublish false) receives the room's media
 * and sends none, and says so; a publish-only link (canSubscribe false) sends and receives none,
 * and says so; an expired link is refused in plain words.
 */
@Tag("browser")
class RoomTokenBrowserTest {
    private static final ApiKey KEY = new ApiKey("APIkey1", "0123456789abcdef0123456789abcdef");
    private TestServer server;
    private Chromium chromium;

    @BeforeEach
    void start() {
        server = TestServer.start(c -> c.withApiKey(Optional.of(KEY)));
        chromium = Chromium.launch();
    }

    @AfterEach
    void stop() {
        chromium.close();
        server.close();
    }

    private Page open(JoinToken token) {
        Page page = chromium.newPage();
        String jwt = URLEncoder.encode(new TokenMinter(KEY).mint(token), StandardCharsets.UTF_8);
        page.navigate(server.httpUrl("/room/?token=" + jwt + "#" + token.room()));
        page.fill("#name", "typed name"); // the form wants one; the token's name wins
        page.click("#join");
        return page;
    }

    private static void awaitInRoom(Page page) {
        try {
            page.waitForFunction("() => document.getElementById('status').textContent.startsWith('in room')");
        } catch (RuntimeException e) {
            throw new AssertionError("not in the room; status: " + page.textContent("#status"), e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aViewerLinkReceivesTheRoomAndSendsNothing() {
        Instant now = Instant.now();
        Page ann = open(JoinToken.forRoom("ann", "Ann", "town-hall", now, Duration.ofMinutes(10)));
        awaitInRoom(ann);
        Page viewer = open(JoinToken.forRoom("v-1", "Viewer", "town-hall", now, Duration.ofMinutes(10)).withPublish(false));
        awaitInRoom(viewer);

        SfuBrowserTest.awaitMedia(viewer, 1, 1);
        viewer.waitForFunction("() => !document.getElementById('banner').hidden");
        assertTrue(viewer.textContent("#banner").contains("does not allow sending"), viewer.textContent("#banner"));
        assertEquals(0L, ((Number) viewer.evaluate("window.room.local.getTracks().length")).longValue(),
                "a viewer's camera and microphone are released, not left on for nothing");
        assertTrue(viewer.locator("#mic").isHidden() && viewer.locator("#camera").isHidden(), "no buttons for what it cannot send");
        ann.waitForFunction("() => document.querySelectorAll('#people li').length === 2");
        assertTrue(ann.textContent("#people").contains("Viewer"), "the name comes from the token");
        assertTrue(!ann.textContent("#people").contains("typed name"), "not from the form");
        Map<String, Object> annInbound = (Map<String, Object>) ann.evaluate(SfuBrowserTest.INBOUND);
        assertEquals(List.of(), annInbound.get("video"), "the viewer publishes no video");
        assertEquals(List.of(), annInbound.get("audio"), "nor audio");
        assertEquals(0.0, server.server().metrics().find("parley.signaling.errors").tag("code", "forbidden").counter().count(),
                "the app does not even try to publish");
        GroupCallAppTest.screenshot(viewer, "room-token-viewer");
    }

    /**
     * A link with canSubscribe false makes a publish-only participant: it joins (no sfu-join, which
     * the server would refuse), the others see and hear it, it receives no media, and its page says so.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPublishOnlyLinkSendsToTheRoomAndReceivesNothing() {
        Instant now = Instant.now();
        Page ann = open(JoinToken.forRoom("ann", "Ann", "studio", now, Duration.ofMinutes(10)));
        awaitInRoom(ann);
        Page pat = open(JoinToken.forRoom("pat", "Pat", "studio", now, Duration.ofMinutes(10)).withSubscribe(false));
        awaitInRoom(pat);

        SfuBrowserTest.awaitMedia(ann, 1, 1); // Pat's camera and microphone reach Ann
        String patId = (String) pat.evaluate("window.room.signaling.peerId");
        ann.waitForFunction("id => document.querySelector(`#grid .tile[data-key='${id}']`)?.classList.contains('video-on')", patId);
        pat.waitForFunction("() => !document.getElementById('banner').hidden");
        assertEquals("Your link lets you send video and sound; it does not allow seeing or hearing the others.", pat.textContent("#banner"));
        pat.waitForFunction("() => document.querySelectorAll('#people li').length === 2");
        assertTrue(pat.textContent("#people").contains("Ann"), "Pat still sees who is in the call");
        Map<String, Object> patSide = (Map<String, Object>) pat.evaluate("""
                async () => {
                  const sfu = window.room.sfu;
                  let framesSent = 0;
                  (await sfu.publishPc.getStats()).forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'video') framesSent += s.framesEncoded || 0; });
                  return { subscribePc: sfu.subscribePc === null, remoteTracks: sfu.remoteTracks.size,
                           audioElements: document.querySelectorAll('audio').length,
                           videoTiles: document.querySelectorAll('#grid .tile:not(.local).video-on').length, framesSent };
                }""");
        assertEquals(true, patSide.get("subscribePc"), "no receive connection: " + patSide);
        assertEquals(0, ((Number) patSide.get("remoteTracks")).intValue(), "no remote tracks: " + patSide);
        assertEquals(0, ((Number) patSide.get("audioElements")).intValue(), "nothing to hear: " + patSide);
        assertEquals(0, ((Number) patSide.get("videoTiles")).intValue(), "no remote video on screen: " + patSide);
        assertTrue(((Number) patSide.get("framesSent")).longValue() > 0, "Pat sends video: " + patSide);
        assertEquals(0.0, server.server().metrics().find("parley.signaling.errors").tag("code", "forbidden").counter().count(),
                "nothing Pat's page asks for is refused");
        GroupCallAppTest.screenshot(pat, "room-token-publish-only");
    }

    @Test
    void anExpiredLinkIsRefusedInPlainWords() {
        Instant old = Instant.now().minus(Duration.ofDays(1));
        Page page = open(JoinToken.forRoom("late", null, "town-hall", old, Duration.ofHours(1)));
        page.waitForFunction("() => document.getElementById('status').textContent.includes('expired')");
        assertEquals("This link has expired — ask for a new one.", page.textContent("#status"));
    }
}
