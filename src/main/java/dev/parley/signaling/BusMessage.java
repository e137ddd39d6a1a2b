package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message on the cluster bus, as published by {@link RedisCluster}: a room event
 * ({@code {"node","except"?,"event"}} on {@code parley:bus:room:<room>}) or a relay to one peer
 * ({@code {"room","to","event"}} on {@code parley:bus:node:<node>}). {@link #parse} returns null for
 * anything else, so bad input is counted and dropped, never thrown.
 *
 * @param origin the publishing node (room events), or null
 * @param room   the room
 * @param peer   room events: the peer not to deliver to (may be null); relays: the target peer
 * @param event  the signaling event, with a textual {@code type}
 */
record BusMessage(String origin, String room, String peer, ObjectNode event) {
    static final String ROOM_CHANNEL = "parley:bus:room:";
    static final String NODE_CHANNEL = "parley:bus:node:";

    boolean isRoomEvent() {
        return origin != null;
    }

    static BusMessage parse(String channel, String text) {
        if (channel == null || text == null || text.length() > 1_000_000) return null;
        JsonNode envelope;
        try {
            envelope = Wire.JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
        if (envelope == null || !(envelope.get("event") instanceof ObjectNode event) || !event.path("type").isTextual()) return null;
        if (channel.startsWith(ROOM_CHANNEL) && channel.length() > ROOM_CHANNEL.length()) {
            JsonNode origin = envelope.get("node");
            JsonNode except = envelope.get("except");
            if (origin == null || !origin.isTextual() || (except != null && !except.isTextual())) return null;
            return new BusMessage(origin.textValue(), channel.substring(ROOM_CHANNEL.length()),
                    except == null ? null : except.textValue(), event);
        }
        if (channel.startsWith(NODE_CHANNEL) && envelope.path("room").isTextual() && envelope.path("to").isTextual()) {
            return new BusMessage(null, envelope.get("room").textValue(), envelope.get("to").textValue(), event);
        }
        return null;
    }
}
