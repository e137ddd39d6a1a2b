package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The group call app end to end: four Chromium pages in one room. Each sees three remote tiles
 * decoding video; a participant's mute shows in the others' tile and participant list; a screen
 * share appears as its own tile with frames; spotlight view puts one tile large. Screenshots of
 * what a person sees go to target/screenshots/room-*.png.
 */
@Tag("browser")
class GroupCallAppTest {
    private TestServer server;
    private Chromium chromium;

    @BeforeEach
    void start() {
        server = TestServer.start();
        chromium = Chromium.launch(List.of("--auto-select-desktop-capture-source=Entire screen",
                "--enable-usermedia-screen-capturing"));
    }

    @AfterEach
    void stop() {
        chromium.close();
        server.close();
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")));
    }

    private static String peerId(Page page) {
        return (String) page.evaluate("window.room.signaling.peerId");
    }

    /** Waits until the tile {@code selector} shows decoded video (its element has a frame size). */
    private static void awaitTileVideo(Page page, String selector) {
        try {
            page.waitForFunction("sel => { const v = document.querySelector(sel + ' video'); return v && v.videoWidth > 0; }", selector);
        } catch (RuntimeException e) {
            throw new AssertionError("no video in " + selector + "; tiles: "
                    + page.evaluate("[...document.querySelectorAll('.tile')].map(t => t.dataset.key + ':' + t.querySelector('video').videoWidth)"), e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void fourPeopleSeeEachOtherMuteStateAndAScreenShare() {
        Page ann = SimulcastBrowserTest.joinRoom(chromium, server, "Ann", null);
        String room = ((String) ann.evaluate("location.hash")).substring(1);
        List<Page> pages = new ArrayList<>(List.of(ann));
        for (String name : List.of("Bob", "Cy", "Dee")) pages.add(SimulcastBrowserTest.joinRoom(chromium, server, name, room));
        Page bob = pages.get(1);
        Page cy = pages.get(2);

        SfuBrowserTest.awaitMedia(ann, 3, 3);
        List<String> names = (List<String>) ann.evaluate(
                "[...document.querySelectorAll('#grid .tile:not(.local) .name')].map(e => e.textContent).sort()");
        assertEquals(List.of("Bob", "Cy", "Dee"), names, "three remote tiles, named");
        for (Page other : pages.subList(1, 4)) awaitTileVideo(ann, "[data-key='" + peerId(other) + "']");
        assertEquals(4L, ((Number) ann.evaluate("document.querySelectorAll('#people li').length")).longValue(),
                "the participant list shows everyone");

        String bobId = peerId(bob);
        bob.click("#mic");
        ann.waitForFunction("id => document.querySelector(`#people li[data-peer='${id}']`)?.dataset.muted === 'true'", bobId);
        assertTrue((Boolean) ann.evaluate("id => document.querySelector(`[data-key='${id}'] .name`).classList.contains('mic-off')", bobId),
                "Bob's tile shows he is muted");
        assertTrue(((String) ann.textContent("#people li[data-peer='" + bobId + "']")).contains("muted"), "the list says muted");

        String cyId = peerId(cy);
        cy.click("#screen");
        cy.waitForFunction("() => window.room.me.screenSharing");
        awaitTileVideo(ann, "[data-key='" + cyId + ":screen']");
        assertEquals("Cy (screen)", ann.textContent("[data-key='" + cyId + ":screen'] .name"));
        ann.waitForTimeout(1500); // let the tiles settle on their layers before the screenshot
        screenshot(ann, "room-grid-ann");

        ann.click("#layout");
        ann.waitForFunction("id => document.querySelector('#spotlight .tile')?.dataset.key === id + ':screen'", cyId);
        awaitTileVideo(ann, "#spotlight .tile");
        screenshot(ann, "room-spotlight-ann");
        screenshot(bob, "room-grid-bob");
    }

    /**
     * Three people at 1280×800: every tile is on screen without scrolling, a muted person's tile
     * says so, and the header names the call with a short label and a copy-link button instead of
     * the raw room id.
     */
    @Test
    @SuppressWarnings("unchecked")
    void threePeopleFitTheScreenWithMuteBadgesAndAFriendlyHeader() {
        Page ann = SimulcastBrowserTest.joinRoom(chromium, server, "Ann", null);
        String room = ((String) ann.evaluate("location.hash")).substring(1);
        Page bob = SimulcastBrowserTest.joinRoom(chromium, server, "Bob", room);
        SimulcastBrowserTest.joinRoom(chromium, server, "Cy", room);
        SfuBrowserTest.awaitMedia(ann, 2, 2);
        String bobId = peerId(bob);
        awaitTileVideo(ann, "[data-key='" + bobId + "']");
        bob.click("#mic");
        ann.waitForFunction("id => document.querySelector(`#people li[data-peer='${id}']`)?.dataset.muted === 'true'", bobId);
        ann.waitForTimeout(1000); // let the tiles settle before the screenshot
        screenshot(ann, "room-three-ann");

        List<Number> bottoms = (List<Number>) ann.evaluate(
                "[...document.querySelectorAll('#grid .tile')].map(t => t.getBoundingClientRect().bottom)");
        assertEquals(3, bottoms.size(), "three tiles in the grid");
        double viewport = ((Number) ann.evaluate("window.innerHeight")).doubleValue();
        for (Number bottom : bottoms) assertTrue(bottom.doubleValue() <= viewport, "tile bottom " + bottom + " within " + viewport);
        assertEquals(0L, ((Number) ann.evaluate("Math.round(document.scrollingElement.scrollHeight - window.innerHeight)")).longValue(),
                "nothing to scroll");

        String badge = "[data-key='" + bobId + "'] .muted-badge";
        assertTrue(ann.isVisible(badge), "Bob's tile shows a muted badge");
        assertEquals("Muted", ann.textContent(badge).trim());
        assertTrue(!ann.isVisible("[data-key='local'] .muted-badge") && !ann.isVisible("#grid .tile:not(.local):not([data-key='" + bobId + "']) .muted-badge"),
                "nobody else is shown muted");

        String header = ann.textContent("header");
        assertTrue(!header.contains(room), "the header does not show the raw room id: " + header);
        assertTrue(ann.textContent("#room-label").matches("Call [0-9A-Z]{4}"), ann.textContent("#room-label"));
        assertTrue(ann.isVisible("#copy-link"), "a copy-link button");
        ann.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
        ann.click("#copy-link");
        ann.waitForFunction("() => document.getElementById('copy-link').textContent === 'Copied'");
        assertEquals(server.httpUrl("/room") + "#" + room, ann.evaluate("navigator.clipboard.readText()"));
    }

    @Test
    void aParticipantStaysInTheRoomThroughASignalingDropAndALostMediaConnection() {
        Page ann = SimulcastBrowserTest.joinRoom(chromium, server, "Ann", null);
        String room = ((String) ann.evaluate("location.hash")).substring(1);
        Page bob = SimulcastBrowserTest.joinRoom(chromium, server, "Bob", room);
        SfuBrowserTest.awaitMedia(ann, 1, 1);
        String annId = peerId(ann);

        ann.evaluate("window.resumedForTest = false; window.room.signaling.addEventListener('resumed', () => { window.resumedForTest = true; });"
                + " window.room.signaling.dropSocket(); true");
        ann.waitForFunction("() => window.resumedForTest && window.room.signaling.state === 'open'");
        assertEquals(annId, peerId(ann), "the session was resumed, not replaced");

        Object firstSubscribePc = ann.evaluateHandle("window.room.sfu.subscribePc");
        server.server().sfu().loseMediaForTest(room, annId);
        ann.waitForFunction("old => window.room.sfu && window.room.sfu.subscribePc && window.room.sfu.subscribePc !== old",
                firstSubscribePc);
        SfuBrowserTest.awaitMedia(ann, 1, 1);
        SfuBrowserTest.awaitMedia(bob, 1, 1);
        awaitTileVideo(bob, "[data-key='" + annId + "']");
        assertEquals(annId, peerId(ann), "still the same participant");
        assertEquals(2L, ((Number) bob.evaluate("document.querySelectorAll('#people li').length")).longValue(),
                "Bob still lists Ann");
        assertTrue((Boolean) ann.evaluate("document.getElementById('banner').hidden"), "the reconnecting banner is gone");
        screenshot(ann, "room-after-reconnect-ann");
    }
}
