package dev.parley.call;

import static dev.parley.call.CallPages.awaitMoreFrames;
import static dev.parley.call.CallPages.awaitRemote;
import static dev.parley.call.CallPages.awaitState;
import static dev.parley.call.CallPages.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.call.CallPages.RemoteMedia;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End-to-end encryption in the /call app (web/sdk/e2ee.js): the caller turns on the lock, the link
 * carries the passphrase in its fragment, and both pages decode each other's media through the
 * decrypting transforms; a page with another passphrase receives the frames and cannot decode them.
 */
@Tag("browser")
class E2eeCallTest {
    private static TestServer server;
    private static Chromium chromium;
    private static CallPages pages;

    @BeforeAll
    static void start() {
        pages = CallPages.launch(List.of());
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> e2ee(Page page) {
        return (Map<String, Object>) page.evaluate("() => { const s = window.parleyCall.e2ee.status(); return { ...s, failing: s.failing.length }; }");
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    /** Opens the creator's page, turns on encryption with the lock, and returns it with its share link. */
    private Object[] lockedCall() {
        Page ann = pages.open("name=Ann");
        awaitState(ann, "waiting");
        ann.click("#e2ee-toggle");
        ann.waitForFunction("() => document.getElementById('share-link').value.includes('#e2ee=')");
        assertTrue(ann.isVisible("#e2ee"), "the encrypted indicator shows once the lock is on");
        String link = ann.inputValue("#share-link");
        assertTrue(((String) ann.evaluate("location.hash")).startsWith("#e2ee="), "the page's own address keeps the passphrase");
        return new Object[] {ann, link};
    }

    private Page openLink(String link, String name) {
        int hash = link.indexOf('#');
        Page page = pages.newPage();
        page.navigate(link.substring(0, hash) + "&name=" + name + link.substring(hash));
        page.waitForFunction("() => window.parleyCall && window.parleyCall.room");
        return page;
    }

    @Test
    void bothPagesDecodeEncryptedVideoAndReceiveEncryptedAudio() {
        Object[] locked = lockedCall();
        Page ann = (Page) locked[0];
        Page bob = openLink((String) locked[1], "Bob");
        awaitState(ann, "connected");
        awaitState(bob, "connected");
        for (Page page : List.of(ann, bob)) {
            RemoteMedia first = awaitRemote(page, "video with a size and audio packets",
                    m -> m.framesDecoded() > 0 && m.videoWidth() > 0 && m.audioPacketsReceived() > 0);
            RemoteMedia later = awaitMoreFrames(page, first, 20);
            assertTrue(later.audioPacketsReceived() > first.audioPacketsReceived(), "audio keeps arriving");
            Map<String, Object> e2ee = e2ee(page);
            System.out.println("transforms: " + page.evaluate("JSON.stringify([...window.parleyCall.e2ee.transforms.values()])"));
            assertTrue(num(e2ee, "sent") > 20 && num(e2ee, "received") > 20, "frames went through the transforms: " + e2ee);
            assertEquals(0, num(e2ee, "failing"), "no receiver fails to decrypt: " + e2ee);
            assertEquals("on", page.evaluate("document.body.dataset.e2ee"));
            assertTrue(page.textContent("#e2ee").contains("End-to-end encrypted"));
        }
        assertEquals("VP8", bob.evaluate("async () => { let c = ''; const r = await window.parleyCall.pc.getStats();"
                + " r.forEach((s) => { if (s.type === 'codec' && s.mimeType.startsWith('video/')) c = s.mimeType.slice(6); }); return c; }"),
                "encrypted calls use VP8, whose header the format keeps clear");
        CallPages.screenshot(ann, "call-e2ee-ann");
    }

    @Test
    void chromiumsOlderEncodedStreamsApiCarriesTheSameFrames() {
        Page ann = pages.newPage();
        ann.navigate(server.httpUrl("/call?name=Ann&e2eeApi=encoded-streams#e2ee=typed-in"));
        ann.waitForFunction("() => window.parleyCall && window.parleyCall.room");
        awaitState(ann, "waiting");
        String link = ann.inputValue("#share-link");
        assertTrue(link.endsWith("#e2ee=typed-in"), "a passphrase from the address goes into the share link: " + link);
        Page bob = openLink(link.replace("#", "&e2eeApi=encoded-streams#"), "Bob");
        awaitState(bob, "connected");
        for (Page page : List.of(ann, bob)) {
            assertEquals("encoded-streams", page.evaluate("window.parleyCall.e2ee.mode"));
            RemoteMedia first = awaitRemote(page, "video and audio", m -> m.framesDecoded() > 0 && m.audioPacketsReceived() > 0);
            awaitMoreFrames(page, first, 20);
            Map<String, Object> e2ee = e2ee(page);
            assertTrue(num(e2ee, "received") > 20 && num(e2ee, "failing") == 0, "frames decrypted: " + e2ee);
        }
    }

    @Test
    void aPageWithAnotherPassphraseGetsFramesItCannotDecode() {
        Object[] locked = lockedCall();
        Page ann = (Page) locked[0];
        String link = (String) locked[1];
        Page eve = openLink(link.substring(0, link.indexOf('#')) + "#e2ee=not-the-passphrase", "Eve");
        awaitState(eve, "connected");
        eve.waitForFunction("() => document.body.dataset.e2ee === 'failing'", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertTrue(eve.textContent("#e2ee").contains("different passphrase"), "the page says why it shows nothing");
        eve.waitForFunction("() => window.parleyCall.e2ee.status().decryptFailures > 20", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        Map<String, Object> e2ee = e2ee(eve);
        RemoteMedia media = remote(eve);
        System.out.println("wrong passphrase: " + e2ee + "; " + media);
        assertTrue(num(e2ee, "decryptFailures") > 20, "frames arrived and failed to decrypt: " + e2ee);
        assertEquals(0, num(e2ee, "received"), "not one frame decrypted: " + e2ee);
        assertTrue(media.audioPacketsReceived() > 0, "the media itself arrived: " + media);
        assertEquals(0, media.framesDecoded(), "the decoder got nothing it could show: " + media);
        assertEquals("failing", ann.evaluate("document.body.dataset.e2ee"), "and the other way round");
        CallPages.screenshot(eve, "call-e2ee-wrong-passphrase");
    }

    @Test
    void aPageOpenedWithoutThePassphraseSaysSoAndHidesTheNoise() {
        Object[] locked = lockedCall();
        Page ann = (Page) locked[0];
        String link = (String) locked[1];
        Page bob = pages.newPage();
        bob.navigate(link.substring(0, link.indexOf('#')) + "&name=Bob");
        awaitState(bob, "connected");
        bob.waitForFunction("() => document.body.dataset.e2ee === 'remote-only'", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertTrue(bob.textContent("#remote-off-text").contains("Ann encrypts this call end to end — open the full link"),
                "the page says why: " + bob.textContent("#remote-off-text"));
        assertTrue(bob.isVisible("#remote-off-text"), "the explanation is on screen");
        assertTrue(bob.isHidden("#remote-video"), "the undecryptable video is not shown");
        ann.waitForFunction("() => document.body.dataset.e2ee === 'failing'", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertTrue(ann.textContent("#e2ee").contains("Bob is not encrypting — they need the full link"),
                "the encrypted side names the cause: " + ann.textContent("#e2ee"));
        CallPages.screenshot(bob, "call-e2ee-without-passphrase");
    }
}
