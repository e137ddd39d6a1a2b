package dev.parley.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import dev.parley.signaling.ClusterSettings;
import dev.parley.testing.Chromium;
import dev.parley.testing.RedisProcess;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cluster mode in real Chromium: two pages served by two nodes that share one redis-server talk over a data channel. */
@Tag("browser")
class BrowserClusterTest {
    private static RedisProcess redis;
    private static TestServer nodeA;
    private static TestServer nodeB;
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        nodeA = node();
        nodeB = node();
        nodeA.awaitClusterNodes(2);
        nodeB.awaitClusterNodes(2);
        chromium = Chromium.launch();
    }

    private static TestServer node() {
        // Only --redis, as a user starts it: a page served by one node that is redirected to the other's
        // socket gets in because the other node knows its origin from the cluster (no --allowed-origins).
        return TestServer.start(c -> c.withCluster(Optional.of(ClusterSettings.of(redis.uri(), null, Duration.ofSeconds(30)))));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        if (redis != null) redis.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagesOnTwoNodesNegotiateADataChannelThroughRedisAndTalkBothWays() {
        Page answerer = chromium.newPage();
        answerer.navigate(nodeA.httpUrl("/"));
        Page offerer = chromium.newPage();
        offerer.navigate(nodeB.httpUrl("/"));
        Map<String, Object> first = (Map<String, Object>) answerer.evaluate(BrowserSignalingTest.PEER_SCRIPT,
                Map.of("name", "Ann", "offerer", false));
        String room = (String) first.get("room");
        offerer.evaluate(BrowserSignalingTest.PEER_SCRIPT, Map.of("room", room, "name", "Bob", "offerer", true));

        answerer.waitForFunction("window.received.includes('hello from offerer')");
        offerer.waitForFunction("window.received.includes('hello from answerer')");
        assertEquals("connected", offerer.evaluate("window.pc.connectionState"));
        assertEquals(List.of("hello from answerer"), offerer.evaluate("window.received"));
        assertEquals(List.of("hello from offerer"), answerer.evaluate("window.received"));
        assertEquals(List.of("Bob"), answerer.evaluate("[...window.client.peers.values()].map(p => p.name)"));
        assertEquals(List.of("Ann"), offerer.evaluate("[...window.client.peers.values()].map(p => p.name)"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSdkFollowsARedirectToTheNodeThatHoldsTheRoomsMedia() {
        try (WsClient host = WsClient.connect(nodeA.wsUri())) {
            host.join("group-call", "host");
            assertEquals("response", host.request(WsClient.msg("sfu-join")).path("type").asText(), "media placed on node A");
            Page guest = chromium.newPage();
            guest.navigate(nodeB.httpUrl("/"));
            Map<String, Object> joined = (Map<String, Object>) guest.evaluate("""
                    async () => {
                      const { SignalingClient } = await import('/sdk/signaling.js');
                      const client = new SignalingClient();
                      const result = await client.join({ room: 'group-call', name: 'guest' });
                      return { url: client.url, peers: result.peers.map((p) => p.name), state: client.state };
                    }
                    """);
            assertEquals(nodeA.wsUri().toString(), joined.get("url"), "the page's client moved to node A");
            assertEquals(List.of("host"), joined.get("peers"));
            assertEquals("open", joined.get("state"));
            assertEquals("guest", host.next("peer-joined").path("peer").path("name").asText());
        }
    }
}
