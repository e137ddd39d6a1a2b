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
        chromium = Chromium.launch();
    }

    private TestServer node() {
        // The page comes from node B, its socket is redirected to node A: allow the other node's origin.
        return TestServer.start(c -> c.withCluster(Optional.of(ClusterSettings.of(redis.uri(), null, Duration.ofSeconds(30))))
                .withAllowedOrigins(List.of("*")));
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
}
