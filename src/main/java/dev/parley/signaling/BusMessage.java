package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.signaling.auth.JoinToken;
import java.util.Set;

/**
 * One message on the cluster bus, as published by {@link RedisCluster}: a room event
 * ({@code {"node","except"?,"event"}} on {@code parley:bus:room:<room>}) or a relay to one peer
 * ({@code {"node","room","to","event"}} on {@code parley:bus:node:<node>}). Only the event types a
 * node publishes on each channel pass, and the fields the receiver uses are checked with the limits
 * of a join; {@link #parse} returns null for anything else, so bad input is counted and dropped,
 * never thrown.
 *
 * @param origin    the publishing node
 * @param room      the room
 * @param peer      room events: the peer not to deliver to (may be null); relays: the target peer
 * @param event     the signaling event, with a textual {@code type}
 * @param roomEvent true for a room event, false for a relay
 */
record BusMessage(String origin, String room, String peer, ObjectNode event, boolean roomEvent) {
    static final String ROOM_CHANNEL = "parley:bus:room:";
    static final String NODE_CHANNEL = "parley:bus:node:";
    /** What nodes publish to a room: membership changes and broadcast {@code message}s. */
    static final Set<String> ROOM_EVENTS = Set.of("peer-joined", "peer-left", "peer-disconnected", "peer-reconnected", "message");
    /** What nodes relay to one peer (SignalingService.relay). */
    static final Set<String> NODE_EVENTS = Set.of("offer", "answer", "candidate", "message");
    private static final int MAX_ID = 64;

    boolean isRoomEvent() {
        return roomEvent;
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
        if (!shortText(envelope.get("node"), MAX_ID)) return null;
        String origin = envelope.get("node").textValue();
        String type = event.get("type").textValue();
        if (channel.startsWith(ROOM_CHANNEL) && channel.length() > ROOM_CHANNEL.length()) {
            JsonNode except = envelope.get("except");
            if ((except != null && !shortText(except, MAX_ID)) || !ROOM_EVENTS.contains(type) || !validRoomEvent(type, event)) return null;
            return new BusMessage(origin, channel.substring(ROOM_CHANNEL.length()), except == null ? null : except.textValue(), event, true);
        }
        if (channel.startsWith(NODE_CHANNEL) && shortText(envelope.get("room"), MAX_ID) && shortText(envelope.get("to"), MAX_ID)
                && NODE_EVENTS.contains(type) && shortText(event.get("from"), MAX_ID)) {
            return new BusMessage(origin, envelope.get("room").textValue(), envelope.get("to").textValue(), event, false);
        }
        return null;
    }

    private static boolean validRoomEvent(String type, ObjectNode event) {
        return switch (type) {
            case "peer-joined" -> validPeer(event.get("peer"));
            case "message" -> shortText(event.get("from"), MAX_ID);
            default -> shortText(event.get("peerId"), MAX_ID);
        };
    }

    /** A peer object ({@code {id,name,identity?,meta?,away}}) within the limits a join enforces. */
    static boolean validPeer(JsonNode peer) {
        if (!(peer instanceof ObjectNode p) || !shortText(p.get("id"), MAX_ID) || !shortText(p.get("name"), SignalingService.MAX_NAME)) {
            return false;
        }
        JsonNode identity = p.get("identity");
        if (identity != null && !identity.isNull() && !shortText(identity, JoinToken.MAX_IDENTITY)) return false;
        JsonNode meta = p.get("meta");
        if (meta != null && !meta.isNull() && (!meta.isObject() || Wire.write(meta).length() > SignalingService.MAX_META)) return false;
        JsonNode away = p.get("away");
        return away == null || away.isBoolean();
    }

    private static boolean shortText(JsonNode node, int max) {
        return node != null && node.isTextual() && node.textValue().length() <= max;
    }
}
