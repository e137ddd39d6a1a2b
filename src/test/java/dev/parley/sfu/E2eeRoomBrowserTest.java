package dev.parley.sfu;

import static dev.parley.sfu.SimulcastBrowserTest.num;
import static dev.parley.sfu.SimulcastBrowserTest.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End-to-end encryption in the group call through Parley's SFU (web/sdk/e2ee.js): the SFU forwards
 * frames it cannot read, and still switches simulcast layers (it reads the RTP payload descriptor
 * and the clear VP8 header, never the encrypted rest). A participant with another passphrase gets
 * the same packets and decodes nothing.
 */
@Tag("browser")
class E2eeRoomBrowserTest {
    private static final String PASSPHRASE = "open sesame";
    /** The page's E2EE counters (web/sdk/e2ee.js status()). */
    private static final String E2EE = "() => { const s = window.room.e2ee.status(); return { ...s, failing: s.failing.join(' ') }; }";
    /** Per remote peer: frames decoded and packets received of its video on the subscribe connection. */
    private static final String VIDEO_BY_PEER = """
            async () => {
              const pc = window.room.sfu?.subscribePc;
              const out = {};
              if (!pc) return out;
              const peerOf = new Map([...window.room.sfu.remoteTracks.values()].map((e) => [e.mid, e.peerId]));
              (await pc.getStats()).forEach((s) => {
                if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !peerOf.has(s.mid)) return;
                out[peerOf.get(s.mid)] = { frames: s.framesDecoded ?? 0, packets: s.packetsReceived ?? 0 };
              });
              return out;
            }
            """;

    private TestServer server;
    private Chromium chromium;

    @BeforeEach
    void start() {
        server = TestServer.start();
        chromium = Chromium.launch();
    }

    @AfterEach
    void stop() {
        chromium.close();
        server.close();
    }

    /** Ann creates the room with the lock on and a typed passphrase; returns her page. */
    private Page createLockedRoom() {
        Page page = chromium.newPage();
        page.navigate(server.httpUrl("/room"));
        page.click("#e2ee-toggle");
        page.fill("#e2ee-passphrase", PASSPHRASE);
        return join(page, "Ann");
    }

    /** Opens the room by link with the fragment {@code #room&e2ee=…} and joins. */
    private Page joinByLink(String fragment, String name) {
        Page page = chromium.newPage();
        page.navigate(server.httpUrl("/room") + fragment);
        return join(page, name);
    }

    private static Page join(Page page, String name) {
        page.fill("#name", name);
        page.click("#join");
        try {
            page.waitForFunction("() => document.getElementById('status').textContent.startsWith('in room')");
        } catch (RuntimeException e) {
            throw new AssertionError(name + " did not get into the room; status: " + page.textContent("#status"), e);
        }
        return page;
    }

    private static String peerId(Page page) {
        return (String) page.evaluate("window.room.signaling.peerId");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> e2ee(Page page) {
        return (Map<String, Object>) page.evaluate(E2EE);
    }

    @SuppressWarnings("unchecked")
    private static long frames(Map<String, Object> byPeer, String peer, String key) {
        Object v = byPeer.get(peer);
        return v == null ? 0 : num((Map<String, Object>) v, key);
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void threePeopleDecodeEachOthersEncryptedVideoAndLayerSwitchingStillWorks() {
        Page ann = createLockedRoom();
        String fragment = (String) ann.evaluate("location.hash");
        String room = fragment.substring(1, fragment.indexOf('&'));
        assertEquals("#" + room + "&e2ee=open%20sesame", fragment, "the invite link carries the passphrase in its fragment");
        assertTrue(((String) ann.evaluate("window.room.shareLink")).endsWith(fragment), "the invite link is the page's address");
        Page bob = joinByLink(fragment, "Bob");
        Page cy = joinByLink(fragment, "Cy");
        List<Page> pages = List.of(ann, bob, cy);
        List<String> ids = pages.stream().map(E2eeRoomBrowserTest::peerId).toList();

        for (Page page : pages) {
            String self = peerId(page);
            List<String> others = ids.stream().filter(id -> !id.equals(self)).toList();
            Map<String, Object> video = poll(page, VIDEO_BY_PEER,
                    v -> others.stream().allMatch(o -> frames(v, o, "frames") > 20), 90, "every other person's video decodes");
            Map<String, Object> status = e2ee(page);
            System.out.println(self + " decodes " + video + "; e2ee " + status);
            assertTrue(num(status, "received") > 40 && num(status, "sent") > 40, "frames went through the transforms: " + status);
            assertEquals("", status.get("failing"), "nobody fails to decrypt");
            assertEquals("on", page.evaluate("document.body.dataset.e2ee"));
            assertTrue(page.isVisible("#e2ee") && page.textContent("#e2ee").contains("End-to-end encrypted"));
        }
        screenshot(ann, "room-e2ee-ann");

        // Simulcast through ciphertext: Bob asks for a small tile, then a large one. A 640x480 camera
        // publishes two layers, h (320x240) and f (sfu-session.js simulcastEncodingsFor).
        String annId = ids.get(0);
        String bobId = ids.get(1);
        bob.evaluate("id => { const e = [...window.room.sfu.remoteTracks.values()].find(e => e.peerId === id && e.track.kind === 'video');"
                + " window.watchedMid = e.mid; window.room.autoQuality = false;"
                + " return window.room.sfu.setConstraints({ maxHeight: { [e.trackId]: 180 }, defaultMaxHeight: 0 }).then(() => true); }", annId);
        String annVideo = annId + "-1";
        Map<String, Object> low = poll(bob, SimulcastBrowserTest.VIDEO, v -> num(v, "height") > 0 && num(v, "height") <= 240
                && num(v, "frames") > 20, 60, "Bob decodes Ann's low layer");
        assertEquals("h", server.server().sfu().forwardedLayers(room, bobId).get(annVideo), "the SFU forwards h to a small tile");
        bob.evaluate("id => { const e = [...window.room.sfu.remoteTracks.values()].find(e => e.peerId === id && e.track.kind === 'video');"
                + " return window.room.sfu.setConstraints({ maxHeight: { [e.trackId]: 1080 }, defaultMaxHeight: 0 }).then(() => true); }", annId);
        Map<String, Object> high = poll(bob, SimulcastBrowserTest.VIDEO, v -> num(v, "height") >= 480, 60,
                "Bob decodes Ann's full layer after asking for it");
        assertEquals("f", server.server().sfu().forwardedLayers(room, bobId).get(annVideo), "the SFU forwards f to a large tile");
        Map<String, Object> after = poll(bob, SimulcastBrowserTest.VIDEO, v -> num(v, "frames") > num(high, "frames") + 20, 30,
                "frames keep being decoded on the new layer");
        System.out.println("encrypted simulcast: low " + low + " -> high " + high + " -> after " + after + "; e2ee " + e2ee(bob));
        assertTrue(num(high, "keyFrames") > num(low, "keyFrames"), "the SFU found the key frame to switch at: " + low + " -> " + high);
        assertEquals("", e2ee(bob).get("failing"), "no decrypt failures across the switch");
    }

    @Test
    void aParticipantWithAnotherPassphraseReceivesCiphertextItCannotDecode() {
        Page ann = createLockedRoom();
        String fragment = (String) ann.evaluate("location.hash");
        String room = fragment.substring(1, fragment.indexOf('&'));
        Page bob = joinByLink(fragment, "Bob");
        Page eve = joinByLink("#" + room + "&e2ee=guess", "Eve");
        String annId = peerId(ann);

        // Bob, with the passphrase, decodes Ann: the positive control in the same room.
        poll(bob, VIDEO_BY_PEER, v -> frames(v, annId, "frames") > 20, 90, "Bob decodes Ann's video");
        eve.waitForFunction("() => document.body.dataset.e2ee === 'failing'", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        Map<String, Object> video = poll(eve, VIDEO_BY_PEER, v -> frames(v, annId, "packets") > 100, 60,
                "the SFU forwards Ann's video packets to Eve");
        eve.waitForFunction("() => window.room.e2ee.status().decryptFailures > 20", null,
                new Page.WaitForFunctionOptions().setTimeout(60_000));
        Map<String, Object> status = e2ee(eve);
        System.out.println("Eve (wrong passphrase): video " + video + "; e2ee " + status);
        assertTrue(num(status, "decryptFailures") > 20, "frames arrived and failed to decrypt: " + status);
        assertEquals(0, num(status, "received"), "not one frame decrypted");
        assertTrue(((String) status.get("failing")).contains(annId), "Ann's media is the one failing: " + status);
        assertEquals(0, frames(video, annId, "frames"), "Eve decodes none of Ann's video");
        assertTrue(eve.textContent("#e2ee").contains("different passphrase"), "the banner says why");
        assertTrue((Boolean) eve.evaluate("id => document.querySelector(`[data-key='${id}']`).classList.contains('undecryptable')", annId),
                "Ann's tile is marked");
        screenshot(eve, "room-e2ee-wrong-passphrase");
    }

    @Test
    void aParticipantWithoutThePassphraseIsToldAndSeesNoNoise() {
        Page ann = createLockedRoom();
        String fragment = (String) ann.evaluate("location.hash");
        String room = fragment.substring(1, fragment.indexOf('&'));
        Page bob = joinByLink("#" + room, "Bob");
        String annId = peerId(ann);
        String tile = "[data-key='" + annId + "']";

        bob.waitForFunction("() => !document.getElementById('banner').hidden");
        assertTrue(bob.textContent("#banner").contains("Ann encrypts this room end to end — open the full link"),
                "the banner says why: " + bob.textContent("#banner"));
        bob.waitForSelector(tile);
        // Ann's video reaches Bob (the SFU forwards it) but its tile shows her avatar, not the noise.
        poll(bob, VIDEO_BY_PEER, v -> frames(v, annId, "packets") > 100, 60, "the SFU forwards Ann's video packets to Bob");
        assertTrue((Boolean) bob.evaluate("s => document.querySelector(s).classList.contains('encrypted-only')", tile), "Ann's tile is marked");
        assertTrue(bob.isHidden(tile + " video"), "Ann's undecryptable video is not shown");
        assertTrue(bob.textContent(tile).contains("encrypted — open the full link"), "the tile says why: " + bob.textContent(tile));

        ann.waitForFunction("() => document.body.dataset.e2ee === 'failing'", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertTrue(ann.textContent("#e2ee").contains("Bob not encrypting — they need the full link"),
                "the encrypted side names the cause: " + ann.textContent("#e2ee"));
        screenshot(bob, "room-e2ee-without-passphrase");
    }
}
