package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StatsReport#validate}: whatever JSON a client sends as {@code stats}, the answer is a
 * kept report that holds only known fields, or a coded error; nothing else is ever thrown.
 */
class StatsReportProperties {
    private static final List<String> CONNECTION_FIELDS = List.of("kind", "peer", "state", "local", "remote", "protocol",
            "relayProtocol", "quality", "rttMs", "jitterMs", "lossPct", "inKbps", "outKbps", "availableOutKbps", "fps",
            "width", "height", "sdp", "");

    /** Scalars, including ones JSON allows but a report must not hold. */
    private static Arbitrary<String> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.of("p2p", "sfu-publish", "host", "relay", "udp", "tls", "good", "connected", "abc_1", "<b>")
                        .map(s -> '"' + s + '"'),
                Arbitraries.strings().ofMaxLength(30).map(s -> com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString()),
                Arbitraries.doubles().between(-10, 2_000_000).map(String::valueOf),
                Arbitraries.of("null", "true", "1e309", "-0", "NaN", "[]", "{}", "12345678901234567890123"));
    }

    /** Any value one level deep: a scalar, an array of scalars or an object of connection fields. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(scalars(),
                Arbitraries.maps(Arbitraries.of(CONNECTION_FIELDS), scalars()).ofMaxSize(6).map(StatsReportProperties::object),
                scalars().list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]"));
    }

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> connection = Arbitraries.maps(Arbitraries.of(CONNECTION_FIELDS), values()).ofMaxSize(14)
                .map(StatsReportProperties::object);
        Arbitrary<String> connections = Arbitraries.oneOf(connection.list().ofMaxSize(6).map(l -> "[" + String.join(",", l) + "]"), values());
        return Arbitraries.maps(Arbitraries.of("app", "connections", "id", "extra"), Arbitraries.oneOf(connections, values()))
                .ofMaxSize(4).map(m -> {
                    java.util.Map<String, String> all = new java.util.LinkedHashMap<>(m);
                    all.put("type", "\"stats\"");
                    return object(all);
                });
    }

    private static String object(java.util.Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }

    @Property(tries = 2000)
    void randomReportsAreKeptCleanOrRefusedWithACode(@ForAll("messages") String text) {
        ObjectNode message;
        try {
            message = Wire.parse(text);
        } catch (SignalingException e) {
            return; // not JSON at all (e.g. 1e309 is fine, NaN is not): the parser's coded error
        }
        try {
            ObjectNode kept = StatsReport.validate(message);
            assertTrue(Wire.write(kept).length() <= StatsReport.MAX_BYTES, text);
            kept.fieldNames().forEachRemaining(f -> assertTrue(f.equals("app") || f.equals("connections"), f));
            for (JsonNode c : kept.get("connections")) {
                assertTrue(c.has("kind"), c.toString());
                c.fields().forEachRemaining(f -> {
                    assertTrue(CONNECTION_FIELDS.contains(f.getKey()) && !f.getKey().equals("sdp") && !f.getKey().isEmpty(), f.getKey());
                    if (f.getValue().isNumber()) {
                        assertTrue(f.getValue().doubleValue() >= 0 && f.getValue().doubleValue() <= StatsReport.MAX_NUMBER, text);
                    } else {
                        assertTrue(f.getValue().isTextual() && f.getValue().textValue().matches("[A-Za-z0-9_-]{1,64}"), text);
                    }
                });
            }
        } catch (SignalingException e) {
            assertTrue(e.code() == ErrorCode.BAD_MESSAGE || e.code() == ErrorCode.TOO_LARGE, e.code() + " for " + text);
            assertTrue(!e.getMessage().isEmpty());
        }
    }

    @Example
    void aFullReportIsKeptAsSent() throws Exception {
        String text = "{\"type\":\"stats\",\"id\":3,\"app\":\"room\",\"connections\":[{\"kind\":\"sfu-publish\",\"state\":\"connected\","
                + "\"local\":\"relay\",\"remote\":\"host\",\"protocol\":\"udp\",\"relayProtocol\":\"tls\",\"rttMs\":20.5,\"jitterMs\":3,"
                + "\"lossPct\":0.1,\"inKbps\":0,\"outKbps\":812.4,\"availableOutKbps\":2500,\"fps\":20,\"width\":640,\"height\":480,"
                + "\"quality\":\"good\"},{\"kind\":\"sfu-subscribe\",\"rttMs\":null}]}";
        ObjectNode kept = StatsReport.validate(Wire.parse(text));
        assertEquals("room", kept.get("app").asText());
        assertEquals(16, kept.get("connections").get(0).size());
        assertEquals("{\"kind\":\"sfu-subscribe\"}", kept.get("connections").get(1).toString(), "null figures are dropped");
    }

    @Example
    void aConnectionWithoutKindOrTooManyConnectionsIsRefused() throws Exception {
        SignalingException noKind = assertThrows(SignalingException.class,
                () -> StatsReport.validate(Wire.parse("{\"type\":\"stats\",\"connections\":[{\"rttMs\":1}]}")));
        assertEquals(ErrorCode.BAD_MESSAGE, noKind.code());
        String five = "{\"kind\":\"p2p\"},".repeat(5);
        SignalingException tooMany = assertThrows(SignalingException.class, () -> StatsReport.validate(
                Wire.parse("{\"type\":\"stats\",\"connections\":[" + five.substring(0, five.length() - 1) + "]}")));
        assertEquals(ErrorCode.BAD_MESSAGE, tooMany.code());
    }
}
