package dev.parley.signaling;

import static dev.parley.testing.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code stats} message: kept as the session's latest report, never relayed, refused with a code when bad. */
class StatsSignalingTest {
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
        c.next("welcome");
        return c;
    }

    private static ObjectNode report(double inKbps) {
        return msg("stats", "app", "call", "connections", List.of(Map.of("kind", "p2p", "state", "connected",
                "local", "host", "remote", "srflx", "protocol", "udp", "inKbps", inKbps, "rttMs", 12.34, "quality", "good")));
    }

    private static AdminView.PeerView peer(String peerId) {
        return server.server().signaling().adminView(Duration.ofSeconds(5)).stream()
                .flatMap(r -> r.peers().stream()).filter(p -> p.peerId().equals(peerId)).findFirst().orElseThrow();
    }

    private static double counter(String name) {
        return server.server().metrics().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void latestReportIsKeptAndNeverRelayed() {
        try (WsClient a = client(); WsClient b = client()) {
            JsonNode ann = a.join(null, "Ann");
            b.join(ann.get("room").asText(), "Bob");
            double accepted = counter("parley.signaling.stats.reports");
            assertEquals("response", a.request(report(100)).get("type").asText());
            a.send(report(250.06)); // fire-and-forget, as the SDK sends it
            // Relays keep their order: if a stats report were relayed, Bob would see it before this.
            a.send(msg("message", "data", "after-stats"));
            JsonNode first = b.next(m -> !m.path("type").asText().equals("ping") && !m.path("type").asText().equals("peer-joined"));
            assertEquals("message", first.get("type").asText(), "Bob got " + first);
            assertEquals("after-stats", first.get("data").asText());

            AdminView.PeerView kept = peer(ann.get("peerId").asText());
            assertEquals("call", kept.stats().get("app").asText());
            JsonNode connection = kept.stats().get("connections").get(0);
            assertEquals(250.1, connection.get("inKbps").asDouble(), 1e-9, "the latest report, rounded to one decimal");
            assertEquals("srflx", connection.get("remote").asText());
            assertEquals(12.3, connection.get("rttMs").asDouble(), 1e-9);
            assertEquals(accepted + 2, counter("parley.signaling.stats.reports"));
        }
    }

    @Test
    void badReportsGetCodedErrorsAndKeepTheLastGoodOne() {
        try (WsClient a = client()) {
            JsonNode ann = a.join(null, "Ann");
            assertEquals("response", a.request(report(100)).get("type").asText());
            double badBefore = counter("parley.signaling.errors");

            ObjectNode unknown = report(1);
            unknown.put("password", "x");
            assertError(a.request(unknown), "bad-message", "unknown field 'password'");
            ObjectNode badWord = report(1);
            ((ObjectNode) badWord.get("connections").get(0)).put("local", "<script>");
            assertError(a.request(badWord), "bad-message", "'local'");
            ObjectNode negative = report(-5);
            assertError(a.request(negative), "bad-message", "'inKbps'");
            ObjectNode unknownInConnection = report(1);
            ((ObjectNode) unknownInConnection.get("connections").get(0)).put("sdp", "v=0");
            assertError(a.request(unknownInConnection), "bad-message", "'sdp'");
            ObjectNode padded = report(1);
            padded.put("app", "x".repeat(3000));
            assertError(a.request(padded), "too-large", "2048");
            assertError(a.request(msg("stats")), "bad-message", "'connections'");

            assertEquals(badBefore + 6, counter("parley.signaling.errors"));
            assertEquals(100.0, peer(ann.get("peerId").asText()).stats().get("connections").get(0).get("inKbps").asDouble());
        }
    }

    @Test
    void statsBeforeJoiningIsRefused() {
        try (WsClient a = client()) {
            assertError(a.request(report(1)), "not-joined", "join");
        }
    }

    @Test
    void aPeerWithoutReportsShowsNone() {
        try (WsClient a = client()) {
            JsonNode ann = a.join(null, "Ann");
            assertNull(peer(ann.get("peerId").asText()).stats());
        }
    }

    private static void assertError(JsonNode answer, String code, String messagePart) {
        assertEquals("error", answer.get("type").asText(), answer.toString());
        assertEquals(code, answer.get("code").asText(), answer.toString());
        assertEquals("stats", answer.path("request").asText(), answer.toString());
        if (!answer.get("message").asText().toLowerCase().contains(messagePart.toLowerCase())) {
            throw new AssertionError("error message '" + answer.get("message").asText() + "' should mention " + messagePart);
        }
    }
}
