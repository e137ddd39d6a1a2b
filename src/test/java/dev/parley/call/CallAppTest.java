package dev.parley.call;

import static dev.parley.call.CallPages.awaitAudioPlayout;
import static dev.parley.call.CallPages.awaitMoreFrames;
import static dev.parley.call.CallPages.awaitRemote;
import static dev.parley.call.CallPages.awaitState;
import static dev.parley.call.CallPages.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.call.CallPages.RemoteMedia;
import dev.parley.testing.IceStats;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The /call app in two real Chromium pages with fake camera and microphone: media both ways, and
 * each control seen from the other side through what its browser decodes.
 */
@Tag("browser")
class CallAppTest {
    private static TestServer server;
    private static Chromium chromium;
    private static CallPages pages;
    private Page[] open = new Page[0];

    @BeforeAll
    static void start() {
        server = TestServer.start();
        // Three fake cameras (for switching) and a fake screen for getDisplayMedia.
        chromium = Chromium.launch(List.of("--use-fake-device-for-media-stream=device-count=3",
                "--auto-select-desktop-capture-source=Entire screen", "--enable-usermedia-screen-capturing"));
        pages = new CallPages(chromium, server);
    }

    @AfterAll
    static void stop() {
        chromium.close();
        server.close();
    }

    @AfterEach
    void closePages() {
        for (Page p : open) p.context().close();
    }

    private Page[] call() {
        open = pages.call();
        return open;
    }

    @Test
    void bothPagesDecodeTheOthersVideoAndReceiveItsAudio() {
        Page[] call = call();
        for (Page page : call) {
            RemoteMedia first = awaitRemote(page, "video with a size and audio packets",
                    m -> m.framesDecoded() > 0 && m.videoWidth() > 0 && m.audioPacketsReceived() > 0);
            RemoteMedia later = awaitMoreFrames(page, first, 20);
            assertTrue(later.audioPacketsReceived() > first.audioPacketsReceived(), "audio packets keep arriving");
            assertTrue(later.videoHeight() > 0);
            assertEquals("connected", later.connectionState());
        }
        assertEquals("Bob", call[0].textContent("#remote-name"));
        assertEquals("Ann", call[1].textContent("#remote-name"));
        CallPages.screenshot(call[0], "call-connected-ann");
        CallPages.screenshot(call[1], "call-connected-bob");
    }

    @Test
    void relayOnlyCallFlowsThroughTheBuiltInTurnServer() {
        open = pages.call("relay=1");
        for (Page page : open) {
            RemoteMedia first = awaitRemote(page, "video with a size and audio packets",
                    m -> m.framesDecoded() > 0 && m.videoWidth() > 0 && m.audioPacketsReceived() > 0);
            awaitMoreFrames(page, first, 20);
            Object types = IceStats.selectedPairTypes(page, "window.parleyCall.pc");
            assertEquals(List.of("relay", "relay"), types, "the media path is relayed at both ends");
        }
        double relayed = server.server().metrics().find("parley.turn.relayed.bytes").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertTrue(relayed > 100_000, "Parley's TURN server carried the media: " + relayed + " bytes");
    }

    @Test
    void muteIsShownToTheOtherSideAndItsAudioGoesSilent() {
        Page[] call = call();
        Page ann = call[0];
        Page bob = call[1];
        RemoteMedia before = awaitRemote(bob, "audio packets", m -> m.audioSamplesReceived() > 48_000);
        RemoteMedia loudWindow = awaitAudioPlayout(bob, before, 2);
        double loudEnergy = loudWindow.audioEnergy() - before.audioEnergy();
        assertTrue(loudEnergy > 0, "the fake microphone's beeps arrive as audio energy");

        ann.click("#mic");
        bob.waitForFunction("() => document.body.dataset.remoteMic === 'muted'");
        assertTrue(bob.isVisible("#remote-muted"), "the other side shows the muted badge");
        assertEquals("true", ann.getAttribute("#mic", "aria-pressed"));
        // What was buffered before the mute still plays out (under load the jitter buffer holds
        // more than half a second): within ten seconds of playout, a two-second window is silent.
        double mutedEnergy = Double.MAX_VALUE;
        for (int window = 0; window < 5 && mutedEnergy >= loudEnergy / 100; window++) {
            RemoteMedia start = remote(bob);
            mutedEnergy = awaitAudioPlayout(bob, start, 2).audioEnergy() - start.audioEnergy();
        }
        assertTrue(mutedEnergy < loudEnergy / 100, "muted audio is silent: " + mutedEnergy + " vs " + loudEnergy);

        ann.click("#mic");
        bob.waitForFunction("() => document.body.dataset.remoteMic === 'on'");
        RemoteMedia unmuted = awaitAudioPlayout(bob, remote(bob), 0.5);
        RemoteMedia again = awaitAudioPlayout(bob, unmuted, 2);
        assertTrue(again.audioEnergy() - unmuted.audioEnergy() > loudEnergy / 10, "sound is back after unmute");
    }

    @Test
    void cameraOffIsShownToTheOtherSideAndItsVideoStops() {
        Page[] call = call();
        Page ann = call[0];
        Page bob = call[1];
        awaitMoreFrames(bob, remote(bob), 10);

        ann.click("#camera");
        bob.waitForFunction("() => document.body.dataset.remoteCamera === 'off'");
        assertTrue(bob.isVisible("#remote-off"), "the other side shows the camera-off screen");
        assertEquals(Boolean.FALSE, ann.evaluate("window.parleyCall.media.cameraTrack !== null"), "camera released");
        RemoteMedia settled = awaitAudioPlayout(bob, remote(bob), 0.5);
        RemoteMedia window = awaitAudioPlayout(bob, settled, 2);
        assertTrue(window.framesDecoded() - settled.framesDecoded() <= 1,
                "no video while the camera is off: " + settled.framesDecoded() + " → " + window.framesDecoded());
        CallPages.screenshot(bob, "call-remote-camera-off");

        ann.click("#camera");
        bob.waitForFunction("() => document.body.dataset.remoteCamera === 'on'");
        awaitMoreFrames(bob, window, 20);
    }

    @Test
    void switchingCameraKeepsFramesFlowing() {
        Page[] call = call();
        Page ann = call[0];
        Page bob = call[1];
        awaitMoreFrames(bob, remote(bob), 10);
        // Chromium's fake devices: 0 is I420, 1 a Y16 depth camera (cannot be encoded), 2 MJPEG.
        ann.click("#devices");
        ann.waitForFunction("() => document.querySelectorAll('#camera-select option').length === 3");
        String third = (String) ann.evaluate("document.querySelectorAll('#camera-select option')[2].value");
        ann.selectOption("#camera-select", third);
        ann.waitForFunction("id => window.parleyCall.senders.video.track && window.parleyCall.senders.video.track.getSettings().deviceId === id", third);
        assertEquals("fake_device_2", ann.evaluate("window.parleyCall.senders.video.track.label"), "the chosen camera is what is sent");
        awaitMoreFrames(bob, remote(bob), 30);

        ann.click("#switch-camera"); // the next camera after the last one is the first
        ann.waitForFunction("() => window.parleyCall.senders.video.track && window.parleyCall.senders.video.track.label === 'fake_device_0'");
        assertEquals(Boolean.TRUE, ann.evaluate("window.parleyCall.media.cameraTrack === window.parleyCall.senders.video.track"));
        awaitMoreFrames(bob, remote(bob), 30);
        assertEquals("connected", bob.evaluate("window.parleyCall.state"));
    }

    @Test
    void screenShareReplacesTheCameraAndBackWithFramesFlowing() {
        Page[] call = call();
        Page ann = call[0];
        Page bob = call[1];
        awaitMoreFrames(bob, remote(bob), 10);

        ann.click("#screen");
        ann.waitForFunction("() => window.parleyCall.media.screenSharing");
        bob.waitForFunction("() => !document.getElementById('remote-screen').hidden");
        assertEquals("screen", ann.evaluate("window.parleyCall.senders.video.track.label.toLowerCase().includes('screen') || "
                + "window.parleyCall.senders.video.track.getSettings().displaySurface ? 'screen' : 'camera'"));
        awaitMoreFrames(bob, remote(bob), 20);
        CallPages.screenshot(ann, "call-sharing-ann");
        CallPages.screenshot(bob, "call-sharing-bob");

        ann.click("#screen");
        ann.waitForFunction("() => !window.parleyCall.media.screenSharing");
        bob.waitForFunction("() => document.getElementById('remote-screen').hidden");
        // replaceTrack resolves after the state message that hid Bob's screen tile: wait for it
        ann.waitForFunction("() => window.parleyCall.senders.video.track === window.parleyCall.media.cameraTrack");
        awaitMoreFrames(bob, remote(bob), 20);
    }

    @Test
    void waitingScreenOffersTheLinkAndAThirdPersonIsToldTheCallIsFull() {
        Page ann = pages.open("name=Ann");
        open = new Page[] {ann};
        awaitState(ann, "waiting");
        String room = (String) ann.evaluate("window.parleyCall.room");
        String link = ann.inputValue("#share-link");
        assertTrue(link.endsWith("/call?room=" + room), link);
        assertTrue(ann.url().contains("room=" + room), "a reload stays in the same room");
        assertTrue(ann.isVisible("#share"));
        CallPages.screenshot(ann, "call-waiting");

        Page bob = pages.open("name=Bob&room=" + room);
        open = new Page[] {ann, bob};
        awaitState(bob, "connected");
        Page carol = pages.newPage();
        open = new Page[] {ann, bob, carol};
        carol.navigate(link + "&name=Carol");
        carol.waitForFunction("() => window.parleyCall && window.parleyCall.state === 'failed'");
        assertTrue(carol.textContent("#overlay-reason").contains("already has two people"));
        assertTrue(carol.isVisible("#retry"), "a retry button");
        CallPages.screenshot(carol, "call-failed-full");
        assertEquals("connected", ann.evaluate("window.parleyCall.state"), "the call itself is undisturbed");
    }

    /** The optional name field: what is typed shows on the other side's video and header, and is remembered. */
    @Test
    void aTypedNameIsShownToTheOtherPersonAndRemembered() {
        Page ann = pages.open("");
        open = new Page[] {ann};
        awaitState(ann, "waiting");
        assertTrue(ann.isVisible("#my-name"), "the waiting screen asks for a name");
        ann.fill("#my-name", "Ann Lee");
        ann.locator("#my-name").dispatchEvent("change");
        String room = (String) ann.evaluate("window.parleyCall.room");
        Page bob = pages.open("room=" + room);
        open = new Page[] {ann, bob};
        awaitState(ann, "connected");
        awaitState(bob, "connected");
        bob.waitForFunction("() => document.getElementById('remote-name').textContent === 'Ann Lee'");
        assertEquals("In a call with Ann Lee", bob.textContent("#with"));
        assertEquals("Guest", ann.textContent("#remote-name"), "Bob typed nothing");
        CallPages.screenshot(bob, "call-named-bob");

        bob.click("#devices");
        bob.fill("#settings-name", "Bob");
        bob.locator("#settings-name").dispatchEvent("change");
        ann.waitForFunction("() => document.getElementById('remote-name').textContent === 'Bob'");
        assertEquals("In a call with Bob", ann.textContent("#with"));
        assertEquals("B", ann.textContent("#remote-avatar"));

        Page again = ann.context().newPage(); // same browser profile: the name is remembered
        open = new Page[] {ann, bob, again};
        again.navigate(server.httpUrl("/call"));
        again.waitForFunction("() => window.parleyCall && window.parleyCall.state === 'waiting'");
        assertEquals("Ann Lee", again.inputValue("#my-name"));
    }

    @Test
    void leavingThePageEndsTheCallForTheOtherSideAtOnce() {
        Page[] call = call();
        call[0].navigate(server.httpUrl("/"));
        awaitState(call[1], "ended");
        assertTrue(call[1].textContent("#overlay-reason").contains("Ann hung up"));
        assertEquals(Boolean.TRUE, call[1].evaluate("window.parleyCall.session === null && window.parleyCall.media.cameraTrack === null"));
    }

    @Test
    void hangUpEndsTheCallOnBothSidesAndReleasesTheDevices() {
        Page[] call = call();
        Page ann = call[0];
        Page bob = call[1];
        ann.click("#hangup");
        awaitState(ann, "ended");
        awaitState(bob, "ended");
        assertTrue(((String) bob.textContent("#overlay-reason")).contains("Ann hung up"));
        for (Page page : call) {
            assertEquals(Boolean.TRUE, page.evaluate("window.parleyCall.media.audioTrack === null && window.parleyCall.media.cameraTrack === null"));
            assertEquals(Boolean.TRUE, page.evaluate("window.parleyCall.session === null"));
        }
        CallPages.screenshot(bob, "call-ended-bob");
    }
}
