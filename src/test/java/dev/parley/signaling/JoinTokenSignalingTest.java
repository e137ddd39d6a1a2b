package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.signaling.auth.ApiKey;
import dev.parley.signaling.auth.JoinToken;
import dev.parley.signaling.auth.TokenMinter;
import dev.parley.signaling.auth.TokenVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code join} on a server with an API key: each refusal code, room grants, identity from the token,
 * and what an admitted session keeps. Time is a clock the test moves, never a sleep.
 */
class JoinTokenSignalingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiKey KEY = new ApiKey("APIkey1", "0123456789abcdef0123456789abcdef");
    private static final TokenMinter MINTER = new TokenMinter(KEY);
    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SignalingService service = new SignalingService(
            dev.parley.server.TestConfigs.loopback().signaling().withHeartbeat(Duration.ofMinutes(1), Duration.ofMinutes(2)),
            registry, null, peer -> List.of(), new TokenVerifier(KEY, clock, TokenVerifier.DEFAULT_LEEWAY),
            Cluster.singleNode());

    @AfterEach
    void close() {
        service.close();
    }

    /** One client connection: sends a message, returns the server's answer to it. */
    private final class Client {
        final SignalingInputProperties.RecordingConnection connection = new SignalingInputProperties.RecordingConnection();
        final SignalingSocket socket = service.open(connection);
        private int nextId = 1;

        JsonNode request(ObjectNode message) throws Exception {
            int id = nextId++;
            message.put("id", id);
            service.receive(socket, message.toString());
            service.snapshot(); // the signaling thread has handled the message
            for (String text : connection.sent) {
                JsonNode node = JSON.readTree(text);
                if (node.path("id").asInt() == id) return node;
            }
            throw new AssertionError("no answer to " + message + " in " + connection.sent);
        }

        JsonNode join(String room, String name, String token) throws Exception {
            ObjectNode join = JSON.createObjectNode().put("type", "join");
            if (room != null) join.put("room", room);
            if (name != null) join.put("name", name);
            if (token != null) join.put("token", token);
            return request(join);
        }
    }

    private static String token(String identity, String name, String room, Duration ttl) {
        return MINTER.mint(JoinToken.forRoom(identity, name, room, START, ttl));
    }

    private static void assertError(String code, JsonNode answer) {
        assertEquals("error", answer.path("type").asText(), answer.toString());
        assertEquals(code, answer.path("code").asText(), answer.toString());
        assertFalse(answer.path("message").asText().isEmpty());
    }

    private double errorCount(String code) {
        return registry.get("parley.signaling.errors").tag("code", code).counter().count();
    }

    @Test
    void joinWithoutATokenIsRefusedAndCounted() throws Exception {
        assertError("token-required", new Client().join("standup", "Ann", null));
        assertEquals(1, errorCount("token-required"));
    }

    @Test
    void identityNameAndRoomComeFromTheToken() throws Exception {
        Client ann = new Client();
        JsonNode joined = ann.join(null, "Someone Else", token("ann-42", "Ann", "standup", Duration.ofHours(1))).path("result");
        assertEquals("standup", joined.path("room").asText(), "a join without a room id goes to the token's room");
        assertEquals("Ann", joined.path("name").asText(), "the name comes from the token, not the message");
        assertEquals("ann-42", joined.path("identity").asText());

        JsonNode bob = new Client().join("standup", null, token("bob", null, "standup", Duration.ofHours(1))).path("result");
        JsonNode peer = bob.path("peers").get(0);
        assertEquals("Ann", peer.path("name").asText());
        assertEquals("ann-42", peer.path("identity").asText(), "others see the verified identity");
        assertEquals("bob", bob.path("name").asText(), "without a name claim the identity is the name");
    }

    @Test
    void aTokenForOneRoomCannotJoinAnother() throws Exception {
        assertError("token-room-mismatch", new Client().join("other", "Ann", token("ann", null, "standup", Duration.ofHours(1))));
        assertEquals(1, errorCount("token-room-mismatch"));
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() throws Exception {
        String jwt = token("ann", null, "standup", Duration.ofMinutes(10));
        clock.now = START.plus(Duration.ofMinutes(10)).plus(TokenVerifier.DEFAULT_LEEWAY);
        assertError("token-expired", new Client().join("standup", null, jwt));
        clock.now = START.minus(TokenVerifier.DEFAULT_LEEWAY).minusSeconds(1);
        assertError("token-not-yet-valid", new Client().join("standup", null, jwt));
        assertEquals(1, errorCount("token-expired"));
        assertEquals(1, errorCount("token-not-yet-valid"));
    }

    @Test
    void badSignaturesAndGarbageAreInvalid() throws Exception {
        String jwt = token("ann", null, "standup", Duration.ofHours(1));
        String forged = jwt.substring(0, jwt.length() - 2) + (jwt.endsWith("AA") ? "BB" : "AA");
        assertError("token-invalid", new Client().join("standup", null, forged));
        String otherSecret = new TokenMinter(new ApiKey("APIkey1", "another-secret-another-secret-1234"))
                .mint(JoinToken.forRoom("ann", null, "standup", START, Duration.ofHours(1)));
        assertError("token-invalid", new Client().join("standup", null, otherSecret));
        assertError("token-invalid", new Client().join("standup", null, "eyJhbGciOiJub25lIn0.e30."));
        assertEquals(3, errorCount("token-invalid"));
    }

    @Test
    void grantsWithoutTheRightAreForbidden() throws Exception {
        JoinToken noJoin = new JoinToken("ann", null, "standup", false, false, true, true, START, START.plusSeconds(60));
        assertError("forbidden", new Client().join("standup", null, MINTER.mint(noJoin)));
        JoinToken noRoom = new JoinToken("ann", null, null, false, false, true, true, START, START.plusSeconds(60));
        assertError("forbidden", new Client().join(null, null, MINTER.mint(noRoom)));
        assertError("token-room-mismatch", new Client().join("standup", null, MINTER.mint(noRoom)));
        assertEquals(2, errorCount("forbidden"));

        JsonNode created = new Client().join(null, null, MINTER.mint(noRoom.withRoomCreate(true))).path("result");
        assertTrue(created.path("room").asText().matches("[A-Za-z0-9_-]{22}"), "roomCreate makes a new unguessable room: " + created);
    }

    @Test
    void anAdmittedSessionResumesWithoutTheJwtEvenAfterItExpired() throws Exception {
        Client first = new Client();
        JsonNode joined = first.join("standup", null, token("ann", null, "standup", Duration.ofMinutes(5))).path("result");
        service.closed(first.socket);
        clock.now = START.plus(Duration.ofHours(2));
        Client again = new Client();
        JsonNode resumed = again.request(JSON.createObjectNode().put("type", "resume")
                .put("token", joined.path("resumeToken").asText()).put("lastSeq", 0));
        assertEquals("response", resumed.path("type").asText(), resumed.toString());
        assertEquals(joined.path("peerId").asText(), resumed.path("result").path("peerId").asText());
    }
}
