package dev.parley.server;

import static dev.parley.testing.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Signaling options as an operator gives them (command-line flags through {@link ConfigLoader}),
 * checked over a real WebSocket: what a client is told and what the server then does.
 */
class SignalingOptionsTest {

    /** A {@code message} to the whole room whose frame is exactly {@code bytes} long (ASCII, so bytes = chars). */
    private static String messageOfLength(int bytes) {
        String head = "{\"type\":\"message\",\"data\":\"";
        String tail = "\"}";
        String frame = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertEquals(bytes, frame.getBytes(StandardCharsets.UTF_8).length);
        return frame;
    }

    @Test
    void wsMaxMessageBytesIsAdvertisedAndEnforcedAtTheByte() {
        int limit = 1000;
        try (TestServer server = TestServer.start(c -> TestConfigs.loopback("--ws-max-message-bytes", Integer.toString(limit)));
             WsClient ann = WsClient.connect(server.wsUri()); WsClient bob = WsClient.connect(server.wsUri())) {
            assertEquals(limit, ann.next("welcome").path("maxMessageBytes").asInt(), "the welcome advertises the configured limit");
            String room = ann.join(null, "Ann").get("room").asText();
            bob.join(room, "Bob");
            ann.next("peer-joined");

            ann.sendRaw(messageOfLength(limit + 1));
            JsonNode refused = ann.next("error");
            assertEquals("too-large", refused.path("code").asText(), refused.toString());

            ann.sendRaw(messageOfLength(limit));
            JsonNode relayed = bob.next("message");
            assertEquals(limit - "{\"type\":\"message\",\"data\":\"\"}".length(), relayed.path("data").asText().length(),
                    "a frame of exactly the limit is relayed whole");
            assertEquals(2, server.server().signaling().snapshot().sockets(), "the refusal closed no socket");
        }
    }

    @Test
    void configuredIceServersWithStaticCredentialsAreHandedOutOnJoin() throws Exception {
        try (TestServer server = TestServer.start(c -> TestConfigs.loopback("--turn", "off",
                "--ice-servers", "stun:stun.example.org:3478, turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349",
                "--ice-username", "parley", "--ice-credential", "s3cret"));
             WsClient ann = WsClient.connect(server.wsUri())) {
            JsonNode iceServers = ann.join(null, "Ann").get("iceServers");
            assertEquals(WsClient.JSON.readTree("""
                    [{"urls": ["stun:stun.example.org:3478"]},
                     {"urls": ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"],
                      "username": "parley", "credential": "s3cret"}]"""),
                    iceServers, "STUN without credentials, TURN with the static ones; nothing built in with --turn off");
        }
    }
}
