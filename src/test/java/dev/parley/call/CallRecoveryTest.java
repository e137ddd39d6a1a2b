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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A call heals itself: after the media path is cut (ICE restart, or a new connection when restarts
 * do not help) and when the signaling socket dies mid-call (the session resumes, media never stops).
 */
@Tag("browser")
class CallRecoveryTest {
    /** Shorter recovery timers than the defaults, so that a test reaches the later recovery steps. */
    private static final String FAST_RECOVERY = "iceGrace=1000&iceRestartTimeout=4000";
    private static TestServer server;
    private static Chromium chromium;
    private static CallPages pages;
    private Page[] open = new Page[0];
    private MediaPathCut path;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        chromium = Chromium.launch();
        pages = new CallPages(chromium, server);
    }

    @AfterAll
    static void stop() {
        chromium.close();
        server.close();
    }

    @AfterEach
    void cleanUp() {
        if (path != null) path.close();
        for (Page p : open) p.context().close();
    }

    private Page[] call(String query) {
        open = pages.call(query);
        for (Page page : open) awaitMoreFrames(page, remote(page), 10);
        return open;
    }

    @Test
    void callRecoversAfterTheMediaPathIsCutAndShowsReconnecting() {
        path = MediaPathCut.prepare();
        Page[] call = call(FAST_RECOVERY);
        path.cut();
        for (Page page : call) {
            awaitState(page, "reconnecting");
            assertTrue(page.isVisible("#overlay"), "the reconnecting screen is shown");
            assertTrue(page.textContent("#overlay-title").startsWith("Reconnecting"));
        }
        // The screen says what is being tried.
        call[0].waitForFunction("() => /network path|new connection/i.test(document.getElementById('overlay-reason').textContent)",
                null, new Page.WaitForFunctionOptions().setTimeout(90_000));
        CallPages.screenshot(call[0], "call-reconnecting");
        RemoteMedia frozen = remote(call[1]);
        path.restore();

        for (Page page : call) awaitState(page, "connected");
        for (Page page : call) {
            RemoteMedia now = awaitMoreFrames(page, remote(page), 30);
            assertTrue(now.audioPacketsReceived() > 0);
            assertTrue(((List<?>) page.evaluate("window.parleyCall.history")).contains("reconnecting"));
            assertTrue(page.isHidden("#overlay"), "back to the call screen");
            // Each side restarted its video from a key frame instead of leaving the other side to
            // wait for Chromium's ~3 s no-decodable-frame timeout before it asks for one.
            assertTrue(((Number) page.evaluate("window.parleyCall.keyFramesForced ?? 0")).intValue() >= 1,
                    "a key frame was sent on reconnect");
        }
        assertTrue(remote(call[1]).framesDecoded() > frozen.framesDecoded() + 30, "video flows again");
    }

    @Test
    void aCutThatOutlastsIceRestartsEndsInANewConnectionThatCarriesTheCall() {
        path = MediaPathCut.prepare();
        Page[] call = call(FAST_RECOVERY + "&iceRestarts=1");
        path.cut();
        // Wait until one side gave up on ICE restarts and built a brand-new RTCPeerConnection.
        call[0].waitForFunction("() => window.parleyCall.session.generation > 1", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        path.restore();
        for (Page page : call) awaitState(page, "connected");
        for (Page page : call) {
            awaitRemote(page, "video on the new connection", m -> m.framesDecoded() > 30 && m.videoWidth() > 0);
            assertTrue(((Number) page.evaluate("window.parleyCall.session.generation")).intValue() > 1,
                    "a new connection replaced the broken one");
        }
        // Controls still reach the other side on the new connection.
        System.out.println("after rebuild: " + call[0].evaluate("JSON.stringify(window.parleyCall.log)"));
        CallPages.screenshot(call[0], "call-after-rebuild");
        call[0].click("#mic");
        call[1].waitForFunction("() => document.body.dataset.remoteMic === 'muted'");
    }

    @Test
    void signalingSocketKilledMidCallLeavesTheCallUpAndTheSessionResumes() {
        Page[] call = call("");
        Page ann = call[0];
        Page bob = call[1];
        String annId = (String) ann.evaluate("window.parleyCall.signaling.peerId");
        ann.evaluate("window.sigStates = []; window.parleyCall.signaling.on('statechange', ({ state }) => window.sigStates.push(state));"
                + "window.resumed = new Promise((r) => window.parleyCall.signaling.on('resumed', r)); true");
        RemoteMedia before = remote(bob);
        for (Page page : call) page.evaluate("window.pcBeforeDrop = window.parleyCall.pc; window.logBeforeDrop = window.parleyCall.log.length; true");
        ann.evaluate("window.parleyCall.signaling.dropSocket(); true");

        ann.evaluate("window.resumed.then(() => true)");
        assertEquals(annId, ann.evaluate("window.parleyCall.signaling.peerId"), "same identity after resume");
        assertTrue(((List<?>) ann.evaluate("window.sigStates")).contains("reconnecting"));
        awaitMoreFrames(bob, before, 30);
        awaitMoreFrames(ann, remote(ann), 30);
        for (Page page : call) {
            assertEquals("connected", page.evaluate("window.parleyCall.state"));
            assertEquals(Boolean.TRUE, page.evaluate("window.parleyCall.pc === window.pcBeforeDrop"), "same peer connection");
            assertEquals(Boolean.TRUE, page.evaluate("window.parleyCall.log.slice(window.logBeforeDrop).every((e) => e.state === 'connected')"),
                    "the call never left the connected state: " + page.evaluate("JSON.stringify(window.parleyCall.log)"));
        }
        // Signaling works again both ways: state messages still arrive.
        ann.click("#camera");
        bob.waitForFunction("() => document.body.dataset.remoteCamera === 'off'");
        bob.click("#mic");
        ann.waitForFunction("() => document.body.dataset.remoteMic === 'muted'");
    }
}
