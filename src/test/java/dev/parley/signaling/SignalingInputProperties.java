package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Whatever a client sends, the signaling service answers with well-formed JSON (a coded error
 * or a normal answer), never throws on its thread, and stays usable for the next message.
 */
class SignalingInputProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SignalingService service = new SignalingService(
            dev.parley.server.TestConfigs.loopback().signaling().withRateLimit(1_000_000, 1_000_000)
                    .withHeartbeat(Duration.ofMinutes(1), Duration.ofMinutes(2)),
            new SimpleMeterRegistry());

    @AfterProperty
    void close() {
        service.close();
    }

    /** A socket that records what the server sends. */
    static final class RecordingConnection implements Connection {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile int closedWith;

        @Override
        public void send(String text) {
            sent.add(text);
        }

        @Override
        public void close(int statusCode, String reason) {
            closedWith = statusCode;
        }

        @Override
        public boolean isOpen() {
            return closedWith == 0;
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public String remoteAddress() {
            return "fuzz";
        }
    }

    @Provide
    Arbitrary<String> frames() {
        Arbitrary<String> types = Arbitraries.of("join", "leave", "resume", "offer", "answer", "candidate", "message",
                "ping", "pong", "ack", "sfu-join", "sfu-publish", "sfu-answer", "stats", "nonsense", "");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString()),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("null", "true", "{}", "[]", "[1,{\"a\":null}]", "-1", "1e309", "\"\\u0000\""));
        Arbitrary<String> fields = Arbitraries.of("id", "room", "name", "capacity", "meta", "to", "sdp", "candidate",
                "data", "token", "lastSeq", "version", "ack", "t", "app", "connections");
        Arbitrary<String> objects = Arbitraries.maps(fields, values).ofMaxSize(6).flatMap(map -> types.map(type -> {
            StringBuilder sb = new StringBuilder("{\"type\":").append(com.fasterxml.jackson.databind.node.TextNode.valueOf(type).toString());
            map.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
            return sb.append('}').toString();
        }));
        return Arbitraries.oneOf(objects, Arbitraries.strings().ofMaxLength(200), Arbitraries.strings().withCharRange('{', '}').ofMaxLength(50));
    }

    @Property(tries = 400)
    void everyFrameGetsWellFormedAnswersAndTheSocketSurvives(@ForAll("frames") String first, @ForAll("frames") String second)
            throws Exception {
        RecordingConnection connection = new RecordingConnection();
        SignalingSocket socket = service.open(connection);
        service.receive(socket, first);
        service.receive(socket, second);
        service.receive(socket, "{\"type\":\"ping\",\"t\":7}");
        service.snapshot(); // runs after the three messages on the signaling thread
        for (String text : connection.sent) {
            JsonNode node = JSON.readTree(text);
            assertTrue(node.path("type").isTextual(), text);
            if (node.path("type").asText().equals("error")) {
                assertTrue(node.path("code").isTextual() && !node.path("message").asText().isEmpty(), text);
            }
        }
        String last = connection.sent.get(connection.sent.size() - 1);
        assertEquals("pong", JSON.readTree(last).path("type").asText(), "the socket still answers: " + connection.sent);
        assertEquals(0, connection.closedWith, "no message closes the socket");
        service.closed(socket);
    }
}
