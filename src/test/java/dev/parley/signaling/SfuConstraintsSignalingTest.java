package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sfu-constraints}: accepted when well formed, refused with the documented codes otherwise. */
class SfuConstraintsSignalingTest {
    private static String outcome(JsonNode answer) {
        return answer.path("type").asText().equals("error") ? answer.path("code").asText() : answer.path("type").asText();
    }

    @Test
    void constraintsAreValidatedAndNeedTheRoomsMedia() {
        try (TestServer server = TestServer.start(); WsClient ws = WsClient.connect(server.wsUri())) {
            ws.join(null, "viewer");
            assertEquals("not-joined", outcome(ws.request(WsClient.msg("sfu-constraints", "lastN", 2))),
                    "constraints before sfu-join");
            assertEquals("response", outcome(ws.request(WsClient.msg("sfu-join"))));
            assertEquals("response", outcome(ws.request(WsClient.msg("sfu-constraints", "maxHeight", Map.of("p-1", 180, "q-1", 0),
                    "defaultMaxHeight", 360, "onStage", List.of("p"), "lastN", 4))));
            assertEquals("response", outcome(ws.request(WsClient.msg("sfu-constraints"))), "every field is optional");
            for (Object[] bad : List.of(
                    new Object[] {"lastN", -1}, new Object[] {"lastN", "two"}, new Object[] {"lastN", 1.5},
                    new Object[] {"maxHeight", List.of(180)}, new Object[] {"maxHeight", Map.of("p-1", -5)},
                    new Object[] {"maxHeight", Map.of("p-1", "tall")}, new Object[] {"defaultMaxHeight", 100_000},
                    new Object[] {"onStage", "p"}, new Object[] {"onStage", List.of(7)})) {
                assertEquals("bad-message", outcome(ws.request(WsClient.msg("sfu-constraints", bad))), "refused: " + List.of(bad));
            }
        }
    }
}
