package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ParleyServer;
import dev.parley.server.StartupException;
import dev.parley.server.TestConfigs;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.RedisProcess;
import dev.parley.testing.TestCertificates;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode: two Parley nodes in this JVM share one real redis-server. Peers on different nodes
 * share rooms, see each other and relay through Redis; capacity holds across nodes; a node that
 * goes away takes its peers with it (after the resume grace); SFU rooms redirect to their node.
 */
class ClusterSignalingTest {
    private static RedisProcess redis;
    private static TestServer nodeA;
    private static TestServer nodeB;
    private final List<WsClient> clients = new ArrayList<>();

    static TestServer clusterNode(String redisUri) {
        return TestServer.start(c -> c.withCluster(Optional.of(ClusterSettings.of(redisUri, null, Duration.ofSeconds(1))))
                .withSignaling(c.signaling().withResume(Duration.ofSeconds(1), 256)));
    }

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        nodeA = clusterNode(redis.uri());
        nodeB = clusterNode(redis.uri());
    }

    @AfterAll
    static void stop() {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        if (redis != null) redis.close();
    }

    @org.junit.jupiter.api.AfterEach
    void closeClients() {
        clients.forEach(WsClient::close);
    }

    private WsClient client(TestServer node) {
        WsClient ws = WsClient.connect(node.wsUri());
        clients.add(ws);
        return ws;
    }

    private static Predicate<JsonNode> typed(String type, String field, String value) {
        return m -> m.path("type").asText().equals(type) && m.path(field).asText().equals(value);
    }

    private static String outcome(JsonNode answer) {
        return answer.path("type").asText().equals("error") ? answer.path("code").asText() : answer.path("type").asText();
    }

    @Test
    void peersOnTwoNodesShareARoomAndRelayBothWays() throws Exception {
        WsClient ann = client(nodeA);
        WsClient bob = client(nodeB);
        JsonNode annJoin = ann.join("cross-nodes", "Ann");
        String annId = annJoin.path("peerId").asText();
        JsonNode bobJoin = bob.join("cross-nodes", "Bob");
        String bobId = bobJoin.path("peerId").asText();
        assertEquals(1, bobJoin.path("peers").size(), "Bob sees Ann: " + bobJoin);
        assertEquals(annId, bobJoin.path("peers").get(0).path("id").asText());
        assertEquals("Ann", bobJoin.path("peers").get(0).path("name").asText());
        JsonNode joined = ann.next(m -> m.path("type").asText().equals("peer-joined"));
        assertEquals(bobId, joined.path("peer").path("id").asText());
        assertEquals("Bob", joined.path("peer").path("name").asText());

        assertEquals("response", outcome(ann.request(WsClient.msg("offer", "to", bobId, "sdp", "v=0 offer from A"))));
        JsonNode offer = bob.next(typed("offer", "from", annId));
        assertEquals("v=0 offer from A", offer.path("sdp").asText());
        assertTrue(offer.path("seq").asLong() > 0, "arrives through the session's numbered queue: " + offer);
        bob.request(WsClient.msg("answer", "to", annId, "sdp", "v=0 answer from B"));
        assertEquals("v=0 answer from B", ann.next(typed("answer", "from", bobId)).path("sdp").asText());
        bob.request(WsClient.msg("candidate", "to", annId, "candidate", java.util.Map.of("candidate", "c1")));
        assertEquals("c1", ann.next(typed("candidate", "from", bobId)).path("candidate").path("candidate").asText());
        ann.request(WsClient.msg("message", "to", bobId, "data", "to Bob"));
        assertEquals("to Bob", bob.next(typed("message", "from", annId)).path("data").asText());
        bob.request(WsClient.msg("message", "data", "to everyone"));
        assertEquals("to everyone", ann.next(typed("message", "from", bobId)).path("data").asText());

        bob.request(WsClient.msg("leave"));
        JsonNode left = ann.next(typed("peer-left", "peerId", bobId));
        assertEquals("left", left.path("reason").asText());
        assertEquals("unknown-peer", outcome(ann.request(WsClient.msg("message", "to", bobId, "data", "gone"))));
        double out = nodeA.server().metrics().find("parley.cluster.bus.messages").tag("direction", "out").counter().count();
        double in = nodeA.server().metrics().find("parley.cluster.bus.messages").tag("direction", "in").counter().count();
        assertTrue(out > 0 && in > 0, "bus traffic counted: out " + out + " in " + in);
        assertTrue(eventually(() -> nodeA.server().metrics().find("parley.cluster.nodes").gauge().value() >= 2),
                "node A's heartbeats see both nodes");
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(nodeA.httpUrl("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String name : List.of("parley_cluster_nodes ", "parley_cluster_bus_messages_total{direction=\"in\"}",
                "parley_cluster_bus_messages_total{direction=\"out\"}", "parley_cluster_redis_errors_total ", "parley_cluster_bus_dropped_total ")) {
            assertTrue(metrics.contains(name), "/metrics has " + name);
        }
    }

    @Test
    void capacityHoldsAcrossNodes() {
        WsClient first = client(nodeA);
        JsonNode created = first.request(WsClient.msg("join", "room", "pair", "name", "one", "capacity", 2));
        assertEquals("response", outcome(created));
        assertEquals("response", outcome(client(nodeB).request(WsClient.msg("join", "room", "pair", "name", "two"))));
        JsonNode thirdOnB = client(nodeB).request(WsClient.msg("join", "room", "pair", "name", "three"));
        assertEquals("room-full", outcome(thirdOnB), "the room is full on the node that did not create it");
        assertEquals("room-full", outcome(client(nodeA).request(WsClient.msg("join", "room", "pair", "name", "four"))));
    }

    @Test
    void simultaneousJoinsOnBothNodesNeverOverfillARoom() {
        WsClient creator = client(nodeA);
        assertEquals("response", outcome(creator.request(WsClient.msg("join", "room", "race", "name", "creator", "capacity", 3))));
        List<WsClient> racers = new ArrayList<>();
        for (int i = 0; i < 10; i++) racers.add(client(i % 2 == 0 ? nodeA : nodeB));
        for (WsClient racer : racers) racer.send(WsClient.msg("join", "id", 1, "room", "race", "name", "racer"));
        int admitted = 0;
        int full = 0;
        for (WsClient racer : racers) {
            String answer = outcome(racer.next(m -> m.path("id").asInt() == 1));
            if (answer.equals("response")) admitted++;
            else if (answer.equals("room-full")) full++;
        }
        assertEquals(2, admitted, "capacity 3: the creator and two racers");
        assertEquals(8, full);
    }

    @Test
    void aNodeThatStopsCleanlyFreesItsSeatsAtOnce() {
        // Before the fix, the stopped node's seat stayed taken (and its peer "away") until the other
        // nodes noticed its missing heartbeats and the resume grace passed (peer-left "node-lost"):
        // a client told "shutdown" that joined again through another node found the room full.
        WsClient stays = client(nodeA);
        assertEquals("response", outcome(stays.request(WsClient.msg("join", "room", "node-stop", "name", "stays", "capacity", 2))));
        String goneId;
        try (TestServer nodeC = clusterNode(redis.uri())) {
            WsClient onC = WsClient.connect(nodeC.wsUri());
            clients.add(onC);
            goneId = onC.join("node-stop", "on C").path("peerId").asText();
            stays.next(typed("peer-joined", "type", "peer-joined"));
            assertEquals("room-full", outcome(client(nodeA).request(WsClient.msg("join", "room", "node-stop", "name", "third"))));
        }
        JsonNode left = stays.next(typed("peer-left", "peerId", goneId), Duration.ofSeconds(20));
        assertEquals("node-stopped", left.path("reason").asText());
        JsonNode rejoined = client(nodeA).request(WsClient.msg("join", "room", "node-stop", "name", "rejoins"));
        assertEquals("response", outcome(rejoined), "the stopped node's seat is free: " + rejoined);
        assertEquals(List.of("stays"),
                rejoined.path("result").path("peers").findValuesAsText("name"), "no ghost of the stopped node's peer");
    }

    @Test
    void aNodeThatCrashesIsNoticedByItsMissingHeartbeat() throws Exception {
        // A separate JVM, killed with SIGKILL: no clean unregistering, its key has to expire.
        try (ParleyProcess crashing = ParleyProcess.start("--redis", redis.uri(), "--resume-grace", "1s")) {
            URI ready = crashing.httpUri("/readyz");
            assertTrue(eventually(() -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }), "the separate node started");
            WsClient stays = client(nodeA);
            stays.join("node-crash", "stays");
            WsClient onCrashing = WsClient.connect(crashing.wsUri());
            clients.add(onCrashing);
            String goneId = onCrashing.join("node-crash", "crashes").path("peerId").asText();
            stays.next(typed("peer-joined", "type", "peer-joined"));
            crashing.kill();
            stays.next(typed("peer-disconnected", "peerId", goneId), Duration.ofSeconds(30));
            assertEquals("node-lost", stays.next(typed("peer-left", "peerId", goneId), Duration.ofSeconds(30)).path("reason").asText());
        }
    }

    @Test
    void sfuRoomsRedirectToTheNodeThatHoldsTheirMedia() {
        WsClient host = client(nodeA);
        host.join("group", "host");
        assertEquals("response", outcome(host.request(WsClient.msg("sfu-join"))));
        String urlOfA = "http://127.0.0.1:" + nodeA.port();

        JsonNode refused = client(nodeB).request(WsClient.msg("join", "room", "group", "name", "guest"));
        assertEquals("redirect", outcome(refused), "join on the other node: " + refused);
        assertEquals(urlOfA, refused.path("url").asText());
        assertEquals("response", outcome(client(nodeA).request(WsClient.msg("join", "room", "group", "name", "guest"))),
                "the node that holds the media admits");

        // Joined on B before the media was placed on A: the redirect comes with sfu-join.
        WsClient early = client(nodeB);
        early.join("group-2", "early");
        WsClient placer = client(nodeA);
        placer.join("group-2", "placer");
        assertEquals("response", outcome(placer.request(WsClient.msg("sfu-join"))));
        JsonNode redirected = early.request(WsClient.msg("sfu-join"));
        assertEquals("redirect", outcome(redirected));
        assertEquals(urlOfA, redirected.path("url").asText());
    }

    @Test
    void aTlsNodeRedirectsToItsHttpsPort(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TestCertificates.PemPair pair = TestCertificates.selfSignedFiles(dir);
        String[] flags = java.util.stream.Stream.concat(java.util.Arrays.stream(pair.tlsFlags()),
                java.util.stream.Stream.of("--redis", redis.uri())).toArray(String[]::new);
        try (ParleyServer secure = new ParleyServer(TestConfigs.loopback(flags)).start()) {
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(pair.certificate())).build();
            String base = "https://127.0.0.1:" + secure.tlsPort();
            WsClient host = WsClient.connect(https, URI.create("wss://127.0.0.1:" + secure.tlsPort() + "/ws"), java.util.Map.of("Origin", base));
            clients.add(host);
            host.join("tls-group", "host");
            assertEquals("response", outcome(host.request(WsClient.msg("sfu-join"))));
            JsonNode refused = client(nodeB).request(WsClient.msg("join", "room", "tls-group", "name", "guest"));
            assertEquals("redirect", outcome(refused));
            assertEquals(base, refused.path("url").asText(), "the HTTPS port: the plain one answers /ws with a redirect");
            WsClient moved = WsClient.connect(https, URI.create(refused.path("url").asText().replaceFirst("^https", "wss") + "/ws"),
                    java.util.Map.of("Origin", base));
            clients.add(moved);
            assertEquals("response", outcome(moved.request(WsClient.msg("join", "room", "tls-group", "name", "guest"))));
        }
    }

    @Test
    void aMediaRequestWhoseSessionEndsDuringPlacementLeavesNothingInTheSfu() {
        try (TestServer node = clusterNode(redis.uri())) {
            for (int round = 0; round < 5; round++) {
                WsClient peer = WsClient.connect(node.wsUri());
                clients.add(peer);
                peer.join("orphan-" + round, "leaves at once");
                // Both frames go out before the placement's round trip to Redis comes back.
                peer.send(WsClient.msg("sfu-join", "id", 101));
                peer.send(WsClient.msg("leave", "id", 102));
                assertEquals("response", outcome(peer.next(m -> m.path("id").asInt() == 102)));
                String media = outcome(peer.next(m -> m.path("id").asInt() == 101));
                assertTrue(media.equals("response") || media.equals("not-joined"), media);
                assertEquals(0, node.server().sfu().counts().participants(), "round " + round + ": no participant left behind (" + media + ")");
            }
        }
    }

    @Test
    void heartbeatsNeverPinAPlacementAgain() throws Exception {
        WsClient host = client(nodeA);
        host.join("unpinned", "host");
        assertEquals("response", outcome(host.request(WsClient.msg("sfu-join"))));
        var redisClient = io.lettuce.core.RedisClient.create(redis.uri());
        try (var connection = redisClient.connect()) {
            var sync = connection.sync();
            String owner = sync.get("parley:sfu:unpinned");
            assertTrue(owner != null && !owner.isEmpty(), "node A holds the placement");
            sync.del("parley:sfu:unpinned"); // as vacate's release does, while a heartbeat holds an old copy of the rooms
            for (int beat = 0; beat < 2; beat++) {
                // a marker lifetime longer than any heartbeat gives: the next heartbeat sets it back
                sync.pexpire("parley:node:" + owner, 600_000);
                assertTrue(eventually(() -> sync.pttl("parley:node:" + owner) <= 60_000), "node A sent a heartbeat");
            }
            assertEquals(null, sync.get("parley:sfu:unpinned"), "the heartbeat only extends a placement this node still holds");
        } finally {
            redisClient.shutdown();
        }
    }

    @Test
    void busMessagesClaimingWhatTheirNodeMayNotAreDropped() throws Exception {
        WsClient ann = client(nodeA);
        String annId = ann.join("bus-forgery", "Ann").path("peerId").asText();
        WsClient bob = client(nodeB);
        String bobId = bob.join("bus-forgery", "Bob").path("peerId").asText();
        ann.next(typed("peer-joined", "type", "peer-joined"));
        var redisClient = io.lettuce.core.RedisClient.create(redis.uri());
        try (var connection = redisClient.connect()) {
            var sync = connection.sync();
            String nodeOfA = Wire.JSON.readTree(sync.hget("parley:room:bus-forgery:peers", annId)).path("node").asText();
            String nodeOfB = Wire.JSON.readTree(sync.hget("parley:room:bus-forgery:peers", bobId)).path("node").asText();
            double before = nodeMetric(nodeA, "parley.cluster.bus.dropped");
            String longName = "x".repeat(65);
            List<String[]> forged = List.of(
                    // a relay without its node, and one whose sender is not on the node it names
                    new String[] {"parley:bus:node:" + nodeOfA, "{\"room\":\"bus-forgery\",\"to\":\"" + annId
                            + "\",\"event\":{\"type\":\"message\",\"from\":\"" + bobId + "\",\"data\":\"forged\"}}"},
                    new String[] {"parley:bus:node:" + nodeOfA, "{\"node\":\"elsewhere\",\"room\":\"bus-forgery\",\"to\":\"" + annId
                            + "\",\"event\":{\"type\":\"message\",\"from\":\"" + bobId + "\",\"data\":\"forged\"}}"},
                    // a type no node relays
                    new String[] {"parley:bus:node:" + nodeOfA, "{\"node\":\"" + nodeOfB + "\",\"room\":\"bus-forgery\",\"to\":\"" + annId
                            + "\",\"event\":{\"type\":\"sfu-offer\",\"from\":\"" + bobId + "\",\"sdp\":\"forged\"}}"},
                    // a room message in the name of node A's own peer
                    new String[] {"parley:bus:room:bus-forgery", "{\"node\":\"" + nodeOfB
                            + "\",\"event\":{\"type\":\"message\",\"from\":\"" + annId + "\",\"data\":\"forged\"}}"},
                    // a peer beyond the limits of a join, and one that claims a local peer's id
                    new String[] {"parley:bus:room:bus-forgery", "{\"node\":\"" + nodeOfB
                            + "\",\"event\":{\"type\":\"peer-joined\",\"peer\":{\"id\":\"p9\",\"name\":\"" + longName + "\"}}}"},
                    new String[] {"parley:bus:room:bus-forgery", "{\"node\":\"" + nodeOfB
                            + "\",\"event\":{\"type\":\"peer-joined\",\"peer\":{\"id\":\"" + annId + "\",\"name\":\"Ann again\"}}}"},
                    // a remote peer's state changed by a node it is not on
                    new String[] {"parley:bus:room:bus-forgery", "{\"node\":\"elsewhere\",\"event\":{\"type\":\"peer-disconnected\",\"peerId\":\""
                            + bobId + "\"}}"});
            for (String[] message : forged) sync.publish(message[0], message[1]);
            assertTrue(eventually(() -> nodeMetric(nodeA, "parley.cluster.bus.dropped") >= before + forged.size()),
                    "every forged message counted on node A");
        } finally {
            redisClient.shutdown();
        }
        bob.request(WsClient.msg("message", "to", annId, "data", "real"));
        assertEquals("real", ann.next(m -> m.path("type").asText().startsWith("message") || m.path("type").asText().startsWith("sfu")
                || m.path("type").asText().startsWith("peer-")).path("data").asText(), "nothing forged reached Ann before Bob's message");
    }

    @Test
    void garbageOnTheBusIsCountedAndDropped() throws InterruptedException {
        WsClient ann = client(nodeA);
        String annId = ann.join("bus-noise", "Ann").path("peerId").asText();
        WsClient bob = client(nodeB);
        String bobId = bob.join("bus-noise", "Bob").path("peerId").asText();
        var redisClient = io.lettuce.core.RedisClient.create(redis.uri());
        try (var connection = redisClient.connect()) {
            for (String junk : List.of("not json", "{\"node\":\"x\"}", "{\"node\":1,\"event\":{\"type\":\"message\"}}", "[]")) {
                connection.sync().publish("parley:bus:room:bus-noise", junk);
            }
        } finally {
            redisClient.shutdown();
        }
        assertTrue(eventually(() -> nodeMetric(nodeA, "parley.cluster.bus.dropped") >= 4), "every bad message counted on node A");
        ann.request(WsClient.msg("message", "to", bobId, "data", "still works"));
        assertEquals("still works", bob.next(typed("message", "from", annId)).path("data").asText());
    }

    @Test
    void aStartWithoutRedisFailsWithAClearReason() throws Exception {
        int unused;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        StartupException e = assertThrows(StartupException.class,
                () -> new ParleyServer(TestConfigs.loopback("--redis", "redis://127.0.0.1:" + unused)));
        assertTrue(e.getMessage().contains("--redis") && e.getMessage().contains("127.0.0.1:" + unused), e.getMessage());
    }

    @Test
    void readinessFollowsRedisAndSeatsComeBackAfterARestart() throws Exception {
        try (RedisProcess own = RedisProcess.start(); TestServer one = clusterNode(own.uri()); TestServer two = clusterNode(own.uri())) {
            assertEquals(200, readyz(one));
            WsClient kept = client(one);
            String keptId = kept.join("survives-redis", "kept").path("peerId").asText();
            own.stop();
            assertTrue(waitForReadyz(one, 503), "not ready while Redis is away");
            WsClient refused = client(two);
            assertEquals("cluster-unavailable", outcome(refused.request(WsClient.msg("join", "name", "meanwhile"))));
            own.launch(); // empty: nothing was persisted
            assertTrue(waitForReadyz(one, 200), "ready again once Redis is back");
            assertTrue(waitForReadyz(two, 200));
            assertTrue(eventually(() -> {
                WsClient probe = client(two);
                JsonNode joined = probe.join("survives-redis", "probe");
                probe.request(WsClient.msg("leave"));
                return joined.path("peers").findValuesAsText("id").contains(keptId);
            }), "node one put its peer's seat back into the new Redis");
            assertTrue(nodeMetric(two, "parley.cluster.redis.errors") > 0, "the refused join's failed command was counted");
        }
    }

    private static double nodeMetric(TestServer node, String name) {
        return node.server().metrics().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(100);
        }
        return false;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int readyz(TestServer node) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl("/readyz"))).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static boolean waitForReadyz(TestServer node, int status) throws InterruptedException {
        return eventually(() -> {
            try {
                return readyz(node) == status;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
