package dev.parley.call;

import static dev.parley.call.CallPages.awaitMoreFrames;
import static dev.parley.call.CallPages.remote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Perfect negotiation in a live call when both sides renegotiate at the same moment (glare): the
 * offers cross, exactly one side yields, and the call ends up with both changes applied while the
 * camera video keeps flowing. To make the collision certain rather than a race, each page's
 * outgoing signaling is held until both pages have set their own offer, then released together.
 */
@Tag("browser")
class CallRenegotiationTest {
    private static CallPages pages;
    private Page[] open = new Page[0];

    /** Holds this page's outgoing peer messages (offer, candidates, app state) until released. */
    private static final String HOLD_SIGNALING = """
            () => {
              const sig = window.parleyCall.signaling;
              window.heldSignals = [];
              sig.sendTo = (...args) => { window.heldSignals.push(args); };
              return true;
            }
            """;
    private static final String RELEASE_SIGNALING = """
            () => {
              const sig = window.parleyCall.signaling;
              delete sig.sendTo; // back to the prototype's method
              for (const args of window.heldSignals.splice(0)) sig.sendTo(...args);
              return true;
            }
            """;
    private static final String SCREEN = """
            () => {
              const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 360 });
              const g = canvas.getContext('2d');
              let n = 0;
              setInterval(() => { g.fillStyle = `hsl(${(n += 7) % 360} 70% 50%)`; g.fillRect(0, 0, 640, 360); }, 50);
              window.screenStream = canvas.captureStream(20);
              window.screenTrack = window.screenStream.getVideoTracks()[0];
              return true;
            }
            """;
    @BeforeAll
    static void start() {
        pages = CallPages.launch(List.of());
    }

    @AfterAll
    static void stop() {
        pages.close();
    }

    @AfterEach
    void closePages() {
        pages.closePages();
    }

    /** Two pages in a call with camera video flowing both ways. */
    private Page[] call() {
        open = pages.call();
        for (Page p : open) awaitMoreFrames(p, remote(p), 10);
        return open;
    }

    @Test
    void bothSidesAddingAScreenTrackAtOnceEndWithBothScreensAndFramesFlowing() {
        Page ann = call()[0];
        Page bob = open[1];
        for (Page p : open) {
            // A shared screen as an extra track (not replacing the camera), so each side must
            // renegotiate. A moving canvas stands in for the screen: no capture permission involved.
            p.evaluate(SCREEN);
        }

        collide(() -> {
            for (Page p : open) p.evaluate("() => { window.parleyCall.pc.addTrack(window.screenTrack, window.screenStream); return true; }");
        });

        for (Page p : open) {
            // Two remote video streams (camera and screen), each decoding.
            awaitInbound(p, "video", 2);
            awaitMoreFrames(p, remote(p), 20);
            assertEquals("stable", p.evaluate("window.parleyCall.pc.signalingState"));
            assertEquals("connected", p.evaluate("window.parleyCall.state"));
            // This side's screen really goes out (its sender is on a negotiated, sending transceiver).
            assertEquals(Boolean.TRUE, p.evaluate("""
                    window.parleyCall.pc.getTransceivers().some((t) => t.sender.track === window.screenTrack
                      && (t.currentDirection === 'sendrecv' || t.currentDirection === 'sendonly'))"""));
        }
        assertCollisionSettledByOneSide(ann, bob);
    }

    @Test
    void glareBetweenChangesOfDifferentKindsEndsWithBothApplied() {
        Page ann = call()[0];
        Page bob = open[1];
        // Ann shares her screen's sound (a tone) while Bob shares his screen (video): the yielding
        // side's change cannot ride on the other's new m-line, so it must offer again afterwards.
        ann.evaluate(SCREEN_AUDIO);
        bob.evaluate(SCREEN);
        collide(() -> {
            ann.evaluate("() => { window.parleyCall.pc.addTrack(window.screenAudio, window.screenStream); return true; }");
            bob.evaluate("() => { window.parleyCall.pc.addTrack(window.screenTrack, window.screenStream); return true; }");
        });
        awaitInbound(ann, "video", 2);
        awaitInbound(bob, "audio", 2);
        for (Page p : open) {
            awaitMoreFrames(p, remote(p), 20);
            assertEquals("stable", p.evaluate("window.parleyCall.pc.signalingState"));
        }
        assertCollisionSettledByOneSide(ann, bob);
    }

    private static final String SCREEN_AUDIO = """
            () => {
              const ctx = new AudioContext();
              const tone = ctx.createOscillator();
              const out = ctx.createMediaStreamDestination();
              tone.connect(out);
              tone.start();
              window.screenStream = out.stream;
              window.screenAudio = out.stream.getAudioTracks()[0];
              return true;
            }
            """;

    /** Waits until the page receives exactly `n` remote streams of `kind`, each flowing (video: decoding). */
    private static void awaitInbound(Page page, String kind, int n) {
        page.waitForFunction("""
                async ([kind, n]) => {
                  let flowing = 0;
                  (await window.parleyCall.pc.getStats()).forEach((s) => {
                    if (s.type === 'inbound-rtp' && s.kind === kind && s.packetsReceived > 20
                        && (kind === 'audio' || s.framesDecoded > 10)) flowing += 1;
                  });
                  return flowing === n;
                }
                """, List.of(kind, n), new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(200));
    }

    @Test
    void bothSidesRestartingIceAtOnceKeepTheCallWithNewCredentials() {
        Page ann = call()[0];
        Page bob = open[1];
        String annUfrag = ufrag(ann);
        String bobUfrag = ufrag(bob);

        collide(() -> {
            for (Page p : open) p.evaluate("() => { window.parleyCall.pc.restartIce(); return true; }");
        });

        for (Page p : open) {
            p.waitForFunction("() => window.parleyCall.pc.signalingState === 'stable' && window.parleyCall.state === 'connected'"
                    + " && window.parleyCall.pc.connectionState === 'connected'", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            awaitMoreFrames(p, remote(p), 20);
        }
        assertNotEquals(annUfrag, ufrag(ann), "Ann's ICE credentials were restarted");
        assertNotEquals(bobUfrag, ufrag(bob), "Bob's ICE credentials were restarted");
        assertCollisionSettledByOneSide(ann, bob);
    }

    /**
     * Runs `change` (which makes both pages want to renegotiate) with both pages' signaling held, waits
     * until each has set its own offer, then releases both: the offers cross on the wire.
     */
    private void collide(Runnable change) {
        for (Page p : open) p.evaluate(HOLD_SIGNALING);
        change.run();
        for (Page p : open) {
            p.waitForFunction("() => window.parleyCall.pc.signalingState === 'have-local-offer'"
                    + " && window.heldSignals.some(([, type]) => type === 'offer')", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
        }
        for (Page p : open) p.evaluate(RELEASE_SIGNALING);
    }

    private static void assertCollisionSettledByOneSide(Page ann, Page bob) {
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) ann.evaluate("window.parleyCall.session.counters");
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) bob.evaluate("window.parleyCall.session.counters");
        int ignored = count(a, "offersIgnored") + count(b, "offersIgnored");
        int rolledBack = count(a, "rollbacks") + count(b, "rollbacks");
        assertTrue(ignored >= 1 && rolledBack >= 1, "the offers collided and one side yielded: Ann " + a + ", Bob " + b);
    }

    private static int count(Map<String, Object> counters, String key) {
        return ((Number) counters.get(key)).intValue();
    }

    private static String ufrag(Page page) {
        return (String) page.evaluate("window.parleyCall.pc.localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]");
    }
}
