package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code stats} message (docs/protocol.md): a browser's getStats summary of its connections,
 * kept as the session's latest report for the admin page and never relayed. Validation is strict:
 * the report is stored and shown to operators, so an unknown field, a string outside its set of
 * values or a number out of range is refused with {@code bad-message}, and a report larger than
 * {@link #MAX_BYTES} with {@code too-large}.
 */
final class StatsReport {
    /** Largest {@code stats} frame accepted, in UTF-8 bytes. */
    static final int MAX_BYTES = 2048;
    /** Most connections in one report (a call has one; an SFU session two). */
    static final int MAX_CONNECTIONS = 4;
    /** Ceiling of every number in a report (kbps, ms, pixels, fps, percent all stay far below it). */
    static final double MAX_NUMBER = 1_000_000;

    private static final Set<String> MESSAGE_FIELDS = Set.of("type", "id", "app", "connections");
    private static final Pattern APP = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> CANDIDATE_TYPES = Set.of("host", "srflx", "prflx", "relay");
    /** Connection fields holding one word out of a fixed set. */
    private static final Map<String, Set<String>> WORDS = Map.of(
            "kind", Set.of("p2p", "sfu-publish", "sfu-subscribe"),
            "state", Set.of("new", "connecting", "connected", "disconnected", "failed", "closed"),
            "local", CANDIDATE_TYPES,
            "remote", CANDIDATE_TYPES,
            "protocol", Set.of("udp", "tcp"),
            "relayProtocol", Set.of("udp", "tcp", "tls"),
            "quality", Set.of("good", "fair", "poor", "unknown"));
    /** Connection fields holding a number from 0 to {@link #MAX_NUMBER}, or null when unknown. */
    private static final Set<String> NUMBERS = Set.of(
            "rttMs", "jitterMs", "lossPct", "inKbps", "outKbps", "availableOutKbps", "fps", "width", "height");

    private StatsReport() {}

    /**
     * Checks a parsed {@code stats} message and returns the report to keep: {@code app} and
     * {@code connections}, nothing else of the message. Its size is measured as compact JSON, so
     * whitespace a client adds does not count.
     */
    static ObjectNode validate(ObjectNode message) throws SignalingException {
        if (Wire.write(message).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new SignalingException(ErrorCode.TOO_LARGE, "stats reports are limited to " + MAX_BYTES + " bytes");
        }
        for (var names = message.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MESSAGE_FIELDS.contains(name)) throw bad("unknown field '" + name + "' in stats");
        }
        ObjectNode report = Wire.JSON.createObjectNode();
        JsonNode app = message.get("app");
        if (app != null && !app.isNull()) {
            if (!app.isTextual() || !APP.matcher(app.textValue()).matches()) {
                throw bad("field 'app' must be 1-32 of a-z 0-9 -");
            }
            report.put("app", app.textValue());
        }
        JsonNode connections = message.get("connections");
        if (connections == null || !connections.isArray() || connections.size() > MAX_CONNECTIONS) {
            throw bad("field 'connections' (array of at most " + MAX_CONNECTIONS + ") is required");
        }
        ArrayNode kept = report.putArray("connections");
        for (JsonNode connection : connections) kept.add(connection(connection));
        return report;
    }

    private static ObjectNode connection(JsonNode connection) throws SignalingException {
        if (!connection.isObject()) throw bad("each of 'connections' must be an object");
        ObjectNode kept = Wire.JSON.createObjectNode();
        for (var fields = connection.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) continue; // unknown figures are sent as null or left out
            Set<String> words = WORDS.get(name);
            if (words != null) {
                if (!value.isTextual() || !words.contains(value.textValue())) {
                    throw bad("connection field '" + name + "' must be one of " + String.join(", ", new java.util.TreeSet<>(words)));
                }
                kept.put(name, value.textValue());
            } else if (NUMBERS.contains(name)) {
                if (!value.isNumber() || !Double.isFinite(value.doubleValue())
                        || value.doubleValue() < 0 || value.doubleValue() > MAX_NUMBER) {
                    throw bad("connection field '" + name + "' must be a number from 0 to " + (long) MAX_NUMBER);
                }
                // One decimal is all the admin page shows; rounding also bounds what is stored.
                kept.put(name, Math.round(value.doubleValue() * 10) / 10.0);
            } else if (name.equals("peer")) {
                if (!value.isTextual() || !PEER_ID.matcher(value.textValue()).matches()) throw bad("connection field 'peer' must be a peer id");
                kept.put(name, value.textValue());
            } else {
                throw bad("unknown connection field '" + name + "' in stats");
            }
        }
        if (!kept.has("kind")) throw bad("connection field 'kind' is required");
        return kept;
    }

    private static SignalingException bad(String why) {
        return new SignalingException(ErrorCode.BAD_MESSAGE, why);
    }
}
