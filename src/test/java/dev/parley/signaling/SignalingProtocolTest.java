package dev.parley.signaling;

import static dev.parley.testing.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signaling protocol of docs/protocol.md, spoken by a plain WebSocket client. */
class SignalingProtocolTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsClient client() {
        WsClient c = WsClient.connect(server.wsUri());
        JsonNode welcome = c.next("welcome");
        assertEquals(65536, welcome.get("maxMessageBytes").asInt());
        return c;
    }

    @Test
    void joinWithoutRoomCreatesAnUnguessableRoom() {
        try (WsClient a = client(); WsClient b = client()) {
            JsonNode first = a.join(null, "Ann");
            JsonNode second = b.join(null, "Bob");
            String room = first.get("room").asText();
            assertTrue(room.matches("[A-Za-z0-9_-]{22}"), "128-bit base64url id, got " + room);
            assertNotEquals(room, second.get("room").asText());
            assertEquals(0, first.get("peers").size());
            assertTrue(first.get("iceServers").isArray());
            assertFalse(first.get("resumeToken").asText().isEmpty());
        }
    }

    @Test
    void peersSeeEachOtherJoinAndLeaveWithNames() {
        try (WsClient a = client(); WsClient b = client()) {
            JsonNode ann = a.join(null, "Ann");
            String room = ann.get("room").asText();
            JsonNode bob = b.join(room, "Bob");
            assertEquals("Ann", bob.get("peers").get(0).get("name").asText());
            assertEquals(ann.get("peerId").asText(), bob.get("peers").get(0).get("id").asText());

            JsonNode joined = a.next("peer-joined");
            assertEquals("Bob", joined.get("peer").get("name").asText());
            assertEquals(bob.get("peerId").asText(), joined.get("peer").get("id").asText());

            assertEquals("response", b.request(msg("leave")).get("type").asText());
            JsonNode left = a.next("peer-left");
            assertEquals(bob.get("peerId").asText(), left.get("peerId").asText());
            assertEquals("left", left.get("reason").asText());
        }
    }

    @Test
    void offerAnswerAndCandidatesAreRelayedToTheNamedPeer() {
        try (WsClient a = client(); WsClient b = client(); WsClient c = client()) {
            JsonNode ann = a.join(null, "A");
            String room = ann.get("room").asText();
            String aId = ann.get("peerId").asText();
            String bId = b.join(room, "B").get("peerId").asText();
            c.join(room, "C");

            a.send(msg("offer", "to", bId, "sdp", "v=0 offer"));
            JsonNode offer = b.next("offer");
            assertEquals(aId, offer.get("from").asText());
            assertEquals("v=0 offer", offer.get("sdp").asText());
            assertFalse(offer.has("to"));

            b.send(msg("answer", "to", aId, "sdp", "v=0 answer"));
            assertEquals("v=0 answer", a.next("answer").get("sdp").asText());

            a.send(msg("candidate", "to", bId, "candidate",
                    Map.of("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid", "0")));
            assertEquals("0", b.next("candidate").get("candidate").get("sdpMid").asText());
            a.sendRaw("{\"type\":\"candidate\",\"to\":\"" + bId + "\",\"candidate\":null}");
            assertTrue(b.next("candidate").get("candidate").isNull(), "end-of-candidates is a null candidate");

            assertFalse(c.receives("offer", Duration.ofMillis(300)), "a third peer sees nothing addressed to B");
        }
    }

    @Test
    void appMessagesGoToOnePeerOrTheWholeRoom() {
        try (WsClient a = client(); WsClient b = client(); WsClient c = client()) {
            String room = a.join(null, "A").get("room").asText();
            String bId = b.join(room, "B").get("peerId").asText();
            c.join(room, "C");
            a.send(msg("message", "data", Map.of("hello", "all")));
            assertEquals("all", b.next("message").get("data").get("hello").asText());
            assertEquals("all", c.next("message").get("data").get("hello").asText());

            JsonNode ack = a.request(msg("message", "to", bId, "data", "just you"));
            assertEquals("response", ack.get("type").asText(), "a relay with an id is acknowledged");
            assertEquals("just you", b.next("message").get("data").asText());
            assertFalse(c.receives("message", Duration.ofMillis(300)));
        }
    }

    @Test
    void relayToUnknownPeerIsACodedError() {
        try (WsClient a = client()) {
            a.join(null, "A");
            JsonNode error = a.request(msg("offer", "to", "nobody", "sdp", "v=0"));
            assertEquals("error", error.get("type").asText());
            assertEquals("unknown-peer", error.get("code").asText());
            assertEquals("offer", error.get("request").asText());
            assertFalse(error.get("message").asText().isBlank());
        }
    }

    @Test
    void relayBeforeJoinIsRefused() {
        try (WsClient a = client()) {
            assertEquals("not-joined", a.request(msg("message", "data", 1)).get("code").asText());
        }
    }

    @Test
    void joiningAFullRoomIsRefusedAndTheRoomIsUntouched() {
        try (WsClient a = client(); WsClient b = client(); WsClient c = client()) {
            JsonNode created = a.request(msg("join", "name", "A", "capacity", 2));
            assertEquals(2, created.get("result").get("capacity").asInt());
            String room = created.get("result").get("room").asText();
            b.join(room, "B");
            JsonNode refused = c.request(msg("join", "room", room, "name", "C"));
            assertEquals("room-full", refused.get("code").asText());
            a.send(msg("message", "data", "still here"));
            assertEquals("still here", b.next("message").get("data").asText());
        }
    }

    @Test
    void malformedInputGetsCodedErrorsAndTheSocketStaysUsable() {
        try (WsClient a = client()) {
            a.sendRaw("{not json");
            assertEquals("bad-json", a.next("error").get("code").asText());
            a.sendRaw("[1,2,3]");
            assertEquals("bad-message", a.next("error").get("code").asText());
            a.sendRaw("{\"id\":5}");
            assertEquals("bad-message", a.next("error").get("code").asText());
            assertEquals("unknown-type", a.request(msg("teleport")).get("code").asText());
            assertEquals("bad-message", a.request(msg("join", "room", "../etc")).get("code").asText());
            assertEquals("bad-message", a.request(msg("join", "capacity", "two")).get("code").asText());
            assertEquals("bad-message", a.request(msg("join", "name", "x".repeat(65))).get("code").asText());
            a.sendRaw("{\"type\":\"join\",\"id\":1,\"meta\":" + "[".repeat(100) + "]".repeat(100) + "}");
            assertEquals("bad-json", a.next("error").get("code").asText(), "deep nesting is refused by the parser");
            JsonNode joined = a.join(null, "A");
            assertFalse(joined.get("peerId").asText().isEmpty());
            assertEquals("already-joined", a.request(msg("join")).get("code").asText());
            assertEquals("bad-message", a.request(msg("offer", "sdp", "v=0")).get("code").asText(), "offer needs 'to'");
        }
    }

    @Test
    void oversizedMessageIsRefusedWithoutDisturbingOthers() {
        try (WsClient a = client(); WsClient b = client()) {
            String room = a.join(null, "A").get("room").asText();
            b.join(room, "B");
            a.next("peer-joined");
            a.sendRaw("{\"type\":\"message\",\"data\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals("too-large", a.next("error").get("code").asText());
            b.send(msg("message", "data", "ok"));
            assertEquals("ok", a.next("message").get("data").asText(), "the sender's socket still works");

            try {
                a.sendRaw("x".repeat(300_000));
            } catch (CompletionException cutOff) {
                // the server may close before our client has finished writing the frame; the close
                // code below is what counts
            }
            int code = a.awaitClose(Duration.ofSeconds(5));
            assertEquals(1009, code, "frames far over the limit are closed with 1009 (message too big)");
            assertEquals("peer-disconnected", b.next("peer-disconnected").get("type").asText());
            b.send(msg("ping", "t", 7));
            assertEquals(7, b.next("pong").get("t").asInt(), "the other peer's socket is unaffected");
        }
    }

    @Test
    void floodIsRateLimitedThenDisconnectedWhileOthersAreServed() {
        try (TestServer strict = TestServer.withSignaling(s -> s.withRateLimit(5, 10))) {
            WsClient flooder = WsClient.connect(strict.wsUri());
            WsClient calm = WsClient.connect(strict.wsUri());
            calm.next("welcome");
            for (int i = 0; i < 15 && !flooder.isClosed(); i++) flooder.sendRaw("{\"type\":\"ack\"}");
            JsonNode limited = flooder.next(m -> m.path("code").asText().equals("rate-limited"));
            assertEquals("error", limited.get("type").asText());
            try {
                for (int i = 0; i < 100 && !flooder.isClosed(); i++) flooder.sendRaw("{\"type\":\"ack\"}");
            } catch (RuntimeException closedUnderUs) {
                // the server closed the socket mid-flood: that is the expected outcome
            }
            int code = flooder.awaitClose(Duration.ofSeconds(5));
            // 1008, or a reset if our client was still writing when the server closed the socket
            assertTrue(code == 1008 || code == -1, "closed by the server, got " + code);
            assertEquals(1, awaitSockets(strict, 1), "only the calm client's socket is left");
            assertEquals("Calm", calm.join(null, "Calm").get("name").asText());
            calm.close();
            flooder.abort();
        }
    }

    private static int awaitSockets(TestServer server, int expected) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int sockets;
        while ((sockets = server.server().signaling().snapshot().sockets()) != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // the server closes sockets on its event loop: poll, don't spin
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return sockets;
    }

    @Test
    void crossOriginUpgradeIsRefusedAndCounted() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () ->
                http.newWebSocketBuilder().header("Origin", "https://evil.example")
                        .buildAsync(server.wsUri(), new java.net.http.WebSocket.Listener() {}).join());
        var handshake = (java.net.http.WebSocketHandshakeException) failure.getCause();
        assertEquals(403, handshake.getResponse().statusCode());
        try (WsClient sameOrigin = WsClient.connect(server.wsUri(),
                Map.of("Origin", "http://127.0.0.1:" + server.port()))) {
            assertEquals("welcome", sameOrigin.next("welcome").get("type").asText());
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create(server.httpUrl("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.matches("(?s).*parley_signaling_upgrades_rejected_total\\{reason=\"origin\"} [1-9].*"), metrics);
    }

    @Test
    void allowedOriginFromConfigurationMayConnect() {
        try (TestServer open = TestServer.start(c -> c.withAllowedOrigins(java.util.List.of("https://app.example")));
             WsClient c = WsClient.connect(open.wsUri(), Map.of("Origin", "https://app.example"))) {
            assertEquals("welcome", c.next("welcome").get("type").asText());
        }
    }

    @Test
    void resumedSessionKeepsIdentityAndReceivesWhatWasSentMeanwhile() {
        try (WsClient a = client(); WsClient b = client()) {
            JsonNode ann = a.join(null, "A");
            String room = ann.get("room").asText();
            String aId = ann.get("peerId").asText();
            JsonNode bob = b.join(room, "B");
            a.next("peer-joined");
            long seqBefore = b.lastSeq();
            b.abort();
            JsonNode away = a.next("peer-disconnected");
            assertEquals(bob.get("peerId").asText(), away.get("peerId").asText());

            a.send(msg("message", "to", bob.get("peerId").asText(), "data", "while you were away"));
            a.send(msg("offer", "to", bob.get("peerId").asText(), "sdp", "v=0 restart"));

            try (WsClient b2 = client()) {
                JsonNode resumed = b2.request(msg("resume", "token", bob.get("resumeToken").asText(), "lastSeq", seqBefore));
                assertEquals("response", resumed.get("type").asText(), resumed.toString());
                assertEquals(bob.get("peerId").asText(), resumed.get("result").get("peerId").asText());
                assertEquals(room, resumed.get("result").get("room").asText());
                assertEquals(aId, resumed.get("result").get("peers").get(0).get("id").asText());
                assertEquals("while you were away", b2.next("message").get("data").asText());
                assertEquals("v=0 restart", b2.next("offer").get("sdp").asText());
                assertEquals(bob.get("peerId").asText(), a.next("peer-reconnected").get("peerId").asText());
                b2.send(msg("message", "to", aId, "data", "back"));
                assertEquals("back", a.next("message").get("data").asText());
            }
        }
    }

    @Test
    void resumeReplacesASocketTheServerStillThinksIsAlive() {
        try (WsClient a = client(); WsClient b = client()) {
            String room = a.join(null, "A").get("room").asText();
            JsonNode bob = b.join(room, "B");
            a.next("peer-joined");
            try (WsClient b2 = client()) {
                JsonNode resumed = b2.request(msg("resume", "token", bob.get("resumeToken").asText(), "lastSeq", b.lastSeq()));
                assertEquals("response", resumed.get("type").asText());
                assertEquals(SignalingService.CLOSE_REPLACED, b.awaitClose(Duration.ofSeconds(5)));
                a.send(msg("message", "data", "to the new socket"));
                assertEquals("to the new socket", b2.next("message").get("data").asText());
            }
        }
    }

    @Test
    void unknownOrExpiredResumeTokenIsRefused() {
        try (WsClient a = client()) {
            assertEquals("resume-failed", a.request(msg("resume", "token", "made-up", "lastSeq", 0)).get("code").asText());
        }
    }

    @Test
    void afterTheGracePeriodPeersGetPeerLeftAndResumeFails() {
        try (TestServer quick = TestServer.withSignaling(s -> s.withResume(Duration.ofMillis(600), 256));
             WsClient a = WsClient.connect(quick.wsUri()); WsClient b = WsClient.connect(quick.wsUri())) {
            String room = a.join(null, "A").get("room").asText();
            JsonNode bob = b.join(room, "B");
            b.abort();
            assertEquals("peer-disconnected", a.next("peer-disconnected").get("type").asText());
            JsonNode left = a.next("peer-left");
            assertEquals("timeout", left.get("reason").asText());
            try (WsClient b2 = WsClient.connect(quick.wsUri())) {
                assertEquals("resume-failed",
                        b2.request(msg("resume", "token", bob.get("resumeToken").asText(), "lastSeq", 0)).get("code").asText());
            }
        }
    }

    @Test
    void queueOverflowWhileAwayEndsTheSession() {
        try (TestServer small = TestServer.withSignaling(s -> s.withResume(Duration.ofSeconds(30), 3));
             WsClient a = WsClient.connect(small.wsUri()); WsClient b = WsClient.connect(small.wsUri())) {
            String room = a.join(null, "A").get("room").asText();
            JsonNode bob = b.join(room, "B");
            a.next("peer-joined");
            b.abort();
            a.next("peer-disconnected");
            for (int i = 0; i < 5; i++) a.send(msg("message", "data", i));
            assertEquals("queue-overflow", a.next("peer-left").get("reason").asText());
            try (WsClient b2 = WsClient.connect(small.wsUri())) {
                assertEquals("resume-failed",
                        b2.request(msg("resume", "token", bob.get("resumeToken").asText(), "lastSeq", 0)).get("code").asText());
            }
        }
    }

    @Test
    void silentSocketIsDetectedByHeartbeatAndPeersAreTold() {
        try (TestServer fast = TestServer.withSignaling(s -> s.withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(800)));
             WsClient a = WsClient.connect(fast.wsUri()); WsClient b = WsClient.connect(fast.wsUri())) {
            String room = a.join(null, "A").get("room").asText();
            b.join(room, "B");
            assertEquals("ping", a.next("ping").get("type").asText(), "the server pings");
            b.playDead();
            assertEquals(SignalingService.CLOSE_HEARTBEAT_TIMEOUT, b.awaitClose(Duration.ofSeconds(10)));
            a.next("peer-disconnected");
            assertFalse(a.isClosed(), "a client that answers pings stays connected");
        }
    }

    @Test
    void clientPingIsAnsweredWithPong() {
        try (WsClient a = client()) {
            a.send(msg("ping", "t", 42));
            assertEquals(42, a.next("pong").get("t").asInt());
        }
    }

    @Test
    void shutdownTellsEveryClientAndClosesEverySocket() {
        TestServer doomed = TestServer.start();
        java.util.List<WsClient> clients = new java.util.ArrayList<>();
        String room = null;
        for (int i = 0; i < 4; i++) {
            WsClient c = WsClient.connect(doomed.wsUri());
            room = c.join(room, "peer" + i).get("room").asText();
            clients.add(c);
        }
        doomed.close();
        for (WsClient c : clients) {
            assertEquals("shutdown", c.next("shutdown").get("type").asText());
            assertEquals(1001, c.awaitClose(Duration.ofSeconds(5)));
            c.abort();
        }
    }

    @Test
    void floodingClientIsClosedEvenWhenTheBucketKeepsRefilling() throws Exception {
        try (TestServer strict = TestServer.withSignaling(s -> s.withRateLimit(50, 10))) {
            WsClient flooder = WsClient.connect(strict.wsUri());
            long end = System.nanoTime() + 3_000_000_000L;
            try {
                while (!flooder.isClosed() && System.nanoTime() < end) flooder.sendRaw("{\"type\":\"ack\"}");
            } catch (RuntimeException closedUnderUs) {
                // expected once the server closes the socket
            }
            int code = flooder.awaitClose(Duration.ofSeconds(10));
            assertTrue(code == 1008 || code == -1, "closed by the server, got " + code);
            assertEquals(0, awaitSockets(strict, 0), "the server closed the flooding socket");
            flooder.abort();
        }
    }

    @Test
    void clientThatNeverAcknowledgesIsDroppedInsteadOfPilingUpEvents() {
        try (TestServer small = TestServer.withSignaling(s -> s.withResume(Duration.ofSeconds(30), 5)
                        .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(500)));
             WsClient a = WsClient.connect(small.wsUri()); WsClient b = WsClient.connect(small.wsUri())) {
            String room = a.join(null, "A").get("room").asText();
            b.join(room, "B");
            a.next("peer-joined");
            b.neverAcknowledge(); // alive (it answers pings) but never acknowledges an event
            for (int i = 0; i < 400 && !b.isClosed(); i++) {
                a.send(msg("message", "data", i));
                sleepQuietly(25);
            }
            assertEquals(SignalingService.CLOSE_SLOW_CONSUMER, b.awaitClose(Duration.ofSeconds(10)));
            assertEquals("peer-disconnected", a.next("peer-disconnected").get("type").asText());
        }
    }

    @Test
    void aBurstFromOnePeerDoesNotDisconnectMembersThatAcknowledge() throws Exception {
        try (WsClient loud = client(); WsClient b = client(); WsClient c = client()) {
            String room = loud.join(null, "Loud").get("room").asText();
            b.join(room, "B");
            c.join(room, "C");
            loud.next("peer-joined");
            loud.next("peer-joined");
            b.next("peer-joined");
            // 40 broadcasts of 40 KB: within the sender's rate limit (burst 200), but 1.6 MB is
            // more than the 1 MiB a session keeps unacknowledged, and it all arrives before the
            // next heartbeat carries an ack
            String blob = "x".repeat(40_000);
            for (int i = 0; i < 40; i++) loud.send(msg("message", "data", Map.of("n", i, "blob", blob)));
            for (WsClient member : List.of(b, c)) {
                for (int i = 0; i < 40; i++) {
                    assertEquals(i, member.next("message").get("data").get("n").asInt());
                }
                member.send(msg("ping", "t", 11));
                assertEquals(11, member.next("pong").get("t").asInt(), "still connected");
                assertFalse(member.isClosed());
            }
            assertFalse(loud.receives("peer-disconnected", Duration.ofMillis(500)), "nobody was dropped");
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyRefusalIsCountedInMetricsByCode() throws Exception {
        try (TestServer strict = TestServer.withSignaling(s -> s.withRateLimit(5, 10));
             WsClient a = WsClient.connect(strict.wsUri()); WsClient b = WsClient.connect(strict.wsUri());
             WsClient c = WsClient.connect(strict.wsUri())) {
            Map<String, Double> before = errorCounts(strict);
            a.sendRaw("{not json");
            assertEquals("bad-json", a.next("error").get("code").asText());
            assertEquals("unknown-type", a.request(msg("teleport")).get("code").asText());
            assertEquals("bad-message", a.request(msg("join", "capacity", "two")).get("code").asText());
            JsonNode created = a.request(msg("join", "name", "A", "capacity", 1));
            String room = created.get("result").get("room").asText();
            assertEquals("room-full", b.request(msg("join", "room", room)).get("code").asText());
            assertEquals("unknown-peer", a.request(msg("message", "to", "nobody", "data", 1)).get("code").asText());
            a.sendRaw("{\"type\":\"message\",\"data\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals("too-large", a.next("error").get("code").asText());
            for (int i = 0; i < 12; i++) c.sendRaw("{\"type\":\"ack\"}"); // bucket of 10
            c.next(m -> m.path("code").asText().equals("rate-limited"));

            Map<String, Double> after = errorCounts(strict);
            for (String code : List.of("bad-json", "unknown-type", "bad-message", "room-full", "unknown-peer", "too-large")) {
                assertEquals(1.0, after.get(code) - before.get(code), code + " counted once: " + after);
            }
            assertTrue(after.get("rate-limited") - before.get("rate-limited") >= 1, "rate-limited counted: " + after);
        }
    }

    /** parley_signaling_errors_total by code, read from the server's /metrics as Prometheus would. */
    private static Map<String, Double> errorCounts(TestServer server) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.httpUrl("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> counts = new java.util.HashMap<>();
        var line = java.util.regex.Pattern.compile("(?m)^parley_signaling_errors_total\\{code=\"([a-z-]+)\"} (\\S+)$").matcher(body);
        while (line.find()) counts.put(line.group(1), Double.parseDouble(line.group(2)));
        return counts;
    }

    @Test
    void oversizedMetaIsRefused() {
        try (WsClient a = client()) {
            JsonNode error = a.request(msg("join", "meta", Map.of("blob", "x".repeat(3000))));
            assertEquals("bad-message", error.get("code").asText());
        }
    }

    @Test
    void manyRoomsGetDistinctIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (WsClient c = client()) {
                ids.add(c.join(null, "x").get("room").asText());
            }
        }
        assertEquals(20, ids.size());
    }

    @Test
    void anSfuAnswerForALargeRoomMayExceedTheFrameLimitButOtherMessagesMayNot() {
        try (WsClient a = client()) {
            a.join(null, "A");
            String bigSdp = "v=0\r\n" + "a=x\r\n".repeat(20_000); // ~100 KB, like a 100-person subscribe answer
            JsonNode answer = a.request(msg("sfu-answer", "sdp", bigSdp, "version", 1));
            assertNotEquals("too-large", answer.path("code").asText(), "SFU descriptions may be 4x the frame limit: " + answer);
            JsonNode message = a.request(msg("message", "data", bigSdp));
            assertEquals("too-large", message.path("code").asText(), "other messages keep the frame limit");
            a.send(msg("ping", "t", 3));
            assertEquals(3, a.next("pong").get("t").asInt(), "the socket stays open");
        }
    }
}
