package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import dev.parley.signaling.ClusterSettings;
import dev.parley.testing.Chromium;
import dev.parley.testing.RedisProcess;
import dev.parley.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode with the group call app: the room's media lives on the node of the first person;
 * someone who opens the room's link on the other node is redirected there by the SDK, and both
 * decode each other's video and audio through that node's SFU.
 */
@Tag("browser")
class ClusterGroupCallTest {
    private RedisProcess redis;
    private TestServer nodeA;
    private TestServer nodeB;
    private Chromium chromium;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        nodeA = node();
        nodeB = node();
        nodeA.awaitClusterNodes(2);
        nodeB.awaitClusterNodes(2);
        chromium = Chromium.launch();
    }

    private TestServer node() {
        // Only --redis, as the README starts nodes: the page comes from node B and its socket is
        // redirected to node A, which allows B's origin because B is a live node of the cluster.
        return TestServer.start(c -> c.withCluster(Optional.of(ClusterSettings.of(redis.uri(), null, Duration.ofSeconds(30)))));
    }

    @AfterEach
    void stop() {
        if (chromium != null) chromium.close();
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        if (redis != null) redis.close();
    }

    @Test
    void aGuestOnTheOtherNodeIsRedirectedToTheRoomsSfuAndBothSeeEachOther() {
        Page ann = SimulcastBrowserTest.joinRoom(chromium, nodeA, "Ann", null);
        String room = ((String) ann.evaluate("location.hash")).substring(1);
        Page bob = SimulcastBrowserTest.joinRoom(chromium, nodeB, "Bob", room);

        assertEquals(nodeA.wsUri().toString(), bob.evaluate("window.room.signaling.url"), "Bob's signaling moved to node A");
        SfuBrowserTest.awaitMedia(ann, 1, 1);
        SfuBrowserTest.awaitMedia(bob, 1, 1);
        assertEquals(List.of("Bob"), ann.evaluate("[...document.querySelectorAll('#grid .tile:not(.local) .name')].map(e => e.textContent)"));
        assertEquals(List.of("Ann"), bob.evaluate("[...document.querySelectorAll('#grid .tile:not(.local) .name')].map(e => e.textContent)"));
    }

    @Test
    void guestsRedirectedToTheRoomsNodeGetMediaAgainThroughTheirOwnNodeWhenThatNodeStops() {
        Page ann = SimulcastBrowserTest.joinRoom(chromium, nodeA, "Ann", null);
        String room = ((String) ann.evaluate("location.hash")).substring(1);
        Page bob = SimulcastBrowserTest.joinRoom(chromium, nodeB, "Bob", room);
        Page cy = SimulcastBrowserTest.joinRoom(chromium, nodeB, "Cy", room);
        assertEquals(nodeA.wsUri().toString(), bob.evaluate("window.room.signaling.url"), "Bob's signaling moved to node A");
        assertEquals(nodeA.wsUri().toString(), cy.evaluate("window.room.signaling.url"), "Cy's signaling moved to node A");
        SfuBrowserTest.awaitMedia(bob, 2, 2);
        String bobBefore = (String) bob.evaluate("window.room.signaling.peerId");
        String cyBefore = (String) cy.evaluate("window.room.signaling.peerId");

        String home = nodeB.wsUri().toString();
        nodeA.close(); // the room's node stops: its socket refuses connections from now on
        nodeA = null;

        // Each page goes back to the node that served it, joins the room again (a new peer id) and
        // restarts its media, which node B now holds.
        String rejoinedHome = "({ url: window.room.signaling.url, state: window.room.signaling.state, peerId: window.room.signaling.peerId, sfu: Boolean(window.room.sfu?.subscribePc) })";
        SimulcastBrowserTest.poll(bob, rejoinedHome, v -> home.equals(v.get("url")) && "open".equals(v.get("state"))
                && !bobBefore.equals(v.get("peerId")) && Boolean.TRUE.equals(v.get("sfu")), 60, "Bob back on node B in the room");
        SimulcastBrowserTest.poll(cy, rejoinedHome, v -> home.equals(v.get("url")) && "open".equals(v.get("state"))
                && !cyBefore.equals(v.get("peerId")) && Boolean.TRUE.equals(v.get("sfu")), 60, "Cy back on node B in the room");
        SfuBrowserTest.awaitMedia(bob, 1, 1);
        SfuBrowserTest.awaitMedia(cy, 1, 1);
        SimulcastBrowserTest.poll(bob, "({ names: [...document.querySelectorAll('#grid .tile:not(.local) .name')].map(e => e.textContent) })",
                v -> List.of("Cy").equals(v.get("names")), 30, "Bob sees Cy only");
        SimulcastBrowserTest.poll(cy, "({ names: [...document.querySelectorAll('#grid .tile:not(.local) .name')].map(e => e.textContent) })",
                v -> List.of("Bob").equals(v.get("names")), 30, "Cy sees Bob only");
    }
}
