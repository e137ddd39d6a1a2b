package dev.parley.call;

import static dev.parley.call.CallPages.awaitMoreFrames;
import static dev.parley.call.CallPages.awaitRemote;
import static dev.parley.call.CallPages.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.call.CallPages.RemoteMedia;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The /call app on a server that requires join tokens: invitation links with a token in the page
 * address join and carry media; an expired link says so in plain words.
 */
@Tag("browser")
class CallTokenBrowserTest {
    private static final ApiKey KEY = new ApiKey("APIkey1", "0123456789abcdef0123456789abcdef");
    private static TestServer server;
    private static Chromium chromium;
    private static CallPages pages;

    @BeforeAll
    static void start() {
        pages = CallPages.launch(c -> c.withApiKey(Optional.of(KEY)), List.of());
        server = pages.server();
        chromium = pages.chromium();
    }

    @AfterAll
    static void stop() {
        pages.close(); // and its server and browser
    }

    @AfterEach
    void closePages() {
        pages.closePages();
    }

    private static String link(String room, JoinToken token) {
        return "room=" + room + "&token=" + URLEncoder.encode(new TokenMinter(KEY).mint(token), StandardCharsets.UTF_8);
    }

    @Test
    void invitedPagesJoinTheTokensRoomAndExchangeMedia() {
        Instant now = Instant.now();
        Page ann = pages.open(link("standup", JoinToken.forRoom("ann-1", "Ann", "standup", now, Duration.ofMinutes(10))));
        awaitState(ann, "waiting");
        // The name in the page address is ignored: the token says who this is.
        Page bob = pages.open("name=Mallory&" + link("standup", JoinToken.forRoom("bob-2", "Bob", "standup", now, Duration.ofMinutes(10))));
        awaitState(ann, "connected");
        awaitState(bob, "connected");
        for (Page page : new Page[] {ann, bob}) {
            RemoteMedia first = awaitRemote(page, "video with a size and audio packets",
                    m -> m.framesDecoded() > 0 && m.videoWidth() > 0 && m.audioPacketsReceived() > 0);
            RemoteMedia later = awaitMoreFrames(page, first, 20);
            assertTrue(later.audioPacketsReceived() > first.audioPacketsReceived(), "audio packets keep arriving");
        }
        assertEquals("Bob", ann.textContent("#remote-name"));
        assertEquals("Ann", bob.textContent("#remote-name"));
        assertEquals("In a call with Bob", ann.textContent("#with"));
        assertTrue(!ann.isVisible("#name-row") && ann.locator("#settings-name-row").isHidden(),
                "with a token there is no name to type: the token names the person");
        assertEquals("standup", ann.evaluate("window.parleyCall.room"));
    }

    @Test
    void anExpiredLinkSaysSoInPlainWords() {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        Page page = pages.open(link("standup", JoinToken.forRoom("late", null, "standup", anHourAgo.minusSeconds(600), Duration.ofMinutes(10))));
        awaitState(page, "failed");
        page.waitForFunction("() => document.getElementById('overlay-reason').textContent.length > 0");
        assertEquals("This link has expired — ask for a new one.", page.textContent("#overlay-reason"));
        assertTrue(page.isVisible("#overlay-reason"), "the message is on screen");
        // Only the explanation and a way home: retrying or starting a new call cannot help a refused link.
        assertTrue(page.locator("#retry").isHidden(), "no Retry");
        assertTrue(page.locator("#new-call").isHidden(), "no Start a new call");
        assertTrue(page.locator("#name-row").isHidden(), "no name field");
        assertTrue(page.isVisible("#home"), "a link home");
        assertEquals("/", page.getAttribute("#home", "href"));
        assertTrue(page.isDisabled("#mic") && page.isDisabled("#camera") && page.isDisabled("#hangup"), "no call controls");
        assertEquals(Boolean.TRUE, page.evaluate("window.parleyCall.media.cameraTrack === null"), "the camera is released");
        CallPages.screenshot(page, "call-token-expired");
        double refused = server.server().metrics().find("parley.signaling.errors").tag("code", "token-expired").counter().count();
        assertEquals(1, refused, "the server counted the refusal");
    }
}
