package dev.parley.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON encoding of signaling messages (docs/protocol.md). */
final class Wire {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxStringLength(16 * 1024 * 1024)
                .build());
    }

    private Wire() {}

    /** Parses a client frame; throws {@code bad-json} or {@code bad-message}. */
    static ObjectNode parse(String text) throws SignalingException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SignalingException(ErrorCode.BAD_JSON, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "a message must be a JSON object");
        }
        ObjectNode message = (ObjectNode) node;
        if (!message.path("type").isTextual()) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'type' (string) is required");
        }
        JsonNode id = message.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'id' must be a string or an integer");
        }
        return message;
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree we built", e);
        }
    }

    static ObjectNode message(String type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        return node;
    }

    static ObjectNode response(JsonNode id, ObjectNode result) {
        ObjectNode node = message("response");
        node.set("id", id);
        node.set("result", result);
        return node;
    }

    static ObjectNode error(JsonNode id, String requestType, ErrorCode code, String text) {
        ObjectNode node = message("error");
        if (id != null) node.set("id", id);
        if (requestType != null) node.put("request", requestType);
        node.put("code", code.wire());
        node.put("message", text);
        return node;
    }

    static ObjectNode peer(Session s) {
        return peer(s.peerId(), s.name(), s.identity(), s.meta(), s.isAway());
    }

    /** A peer object of docs/protocol.md; {@code identity} is the join token's subject, or null. */
    static ObjectNode peer(String id, String name, String identity, JsonNode meta, boolean away) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("name", name);
        if (identity != null) node.put("identity", identity);
        if (meta != null) node.set("meta", meta);
        node.put("away", away);
        return node;
    }

    static ArrayNode iceServers(Iterable<IceServer> servers) {
        ArrayNode list = JSON.createArrayNode();
        for (IceServer server : servers) {
            ObjectNode entry = list.addObject();
            ArrayNode urls = entry.putArray("urls");
            server.urls().forEach(urls::add);
            if (server.username() != null) entry.put("username", server.username());
            if (server.credential() != null) entry.put("credential", server.credential());
        }
        return list;
    }

    /** A required string field no longer than {@code max} characters. */
    static String requiredString(ObjectNode message, String field, int max) throws SignalingException {
        JsonNode value = message.get(field);
        if (value == null || !value.isTextual()) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field '" + field + "' (string) is required");
        }
        if (value.textValue().length() > max) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field '" + field + "' is longer than " + max);
        }
        return value.textValue();
    }

    /** An optional string field, or null. */
    static String optionalString(ObjectNode message, String field, int max) throws SignalingException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) return null;
        return requiredString(message, field, max);
    }
}
