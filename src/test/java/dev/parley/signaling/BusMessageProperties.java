package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives on the cluster bus, parsing returns a message or null, never throws. */
class BusMessageProperties {
    @Provide
    Arbitrary<String> channels() {
        return Arbitraries.oneOf(Arbitraries.of("parley:bus:room:r1", "parley:bus:node:n1", "parley:bus:room:", "other"),
                Arbitraries.strings().ofMaxLength(40));
    }

    /** Fragments of the real envelopes, shuffled into almost-valid JSON, plus plain noise. */
    @Provide
    Arbitrary<String> payloads() {
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"node\"", "\"except\"", "\"event\"", "\"room\"",
                "\"to\"", "\"type\"", "\"peer-joined\"", "\"n1\"", "null", "1", "true", "{\"type\":\"message\"}", "\"",
                "\"from\"", "\"peerId\"", "\"peer\"", "\"name\"", "\"meta\"", "\"identity\"", "\"id\"");
        return Arbitraries.oneOf(pieces.list().ofMaxSize(30).map(l -> String.join("", l)), Arbitraries.strings().ofMaxLength(200));
    }

    @Property(tries = 2000)
    void neverThrows(@ForAll("channels") String channel, @ForAll("payloads") String text) {
        BusMessage.parse(channel, text);
    }

    @Example
    void readsBothKindsAndRefusesHalfMessages() {
        BusMessage room = BusMessage.parse("parley:bus:room:r1",
                "{\"node\":\"n2\",\"except\":\"p1\",\"event\":{\"type\":\"peer-left\",\"peerId\":\"p1\"}}");
        assertEquals("n2", room.origin());
        assertEquals("r1", room.room());
        assertEquals("p1", room.peer());
        BusMessage relay = BusMessage.parse("parley:bus:node:n1",
                "{\"node\":\"n2\",\"room\":\"r1\",\"to\":\"p2\",\"event\":{\"type\":\"offer\",\"from\":\"p1\"}}");
        assertEquals("p2", relay.peer());
        assertEquals("n2", relay.origin());
        assertEquals(false, relay.isRoomEvent());
        assertNull(BusMessage.parse("parley:bus:room:r1", "{\"event\":{\"type\":\"peer-left\",\"peerId\":\"p1\"}}"), "no origin");
        assertNull(BusMessage.parse("parley:bus:room:r1", "{\"node\":\"n2\",\"event\":{\"type\":7}}"), "type not text");
        assertNull(BusMessage.parse("parley:bus:node:n1", "{\"node\":\"n2\",\"room\":\"r1\",\"event\":{\"type\":\"offer\",\"from\":\"p1\"}}"),
                "no target");
        assertNull(BusMessage.parse("parley:bus:node:n1", "{\"room\":\"r1\",\"to\":\"p2\",\"event\":{\"type\":\"offer\",\"from\":\"p1\"}}"),
                "a relay without its node");
        assertNull(BusMessage.parse("parley:bus:node:n1", "{\"node\":\"n2\",\"room\":\"r1\",\"to\":\"p2\",\"event\":{\"type\":\"offer\"}}"),
                "a relay without its sender");
        assertNull(BusMessage.parse("parley:bus:room:r1", "{\"node\":\"n2\",\"event\":{\"type\":\"peer-left\"}}"), "whose peer?");
        assertNull(BusMessage.parse("parley:bus:room:r1", "[]"));
    }

    /** Each channel carries only the event types nodes publish there. */
    @Property(tries = 500)
    void onlyTheTypesNodesPublishPass(@ForAll("types") String type, @ForAll boolean toRoom) {
        String event = "{\"type\":\"" + type + "\",\"from\":\"p1\",\"peerId\":\"p1\",\"peer\":{\"id\":\"p1\",\"name\":\"n\",\"away\":false}}";
        BusMessage parsed = toRoom
                ? BusMessage.parse("parley:bus:room:r1", "{\"node\":\"n2\",\"event\":" + event + "}")
                : BusMessage.parse("parley:bus:node:n1", "{\"node\":\"n2\",\"room\":\"r1\",\"to\":\"p2\",\"event\":" + event + "}");
        boolean allowed = (toRoom ? BusMessage.ROOM_EVENTS : BusMessage.NODE_EVENTS).contains(type);
        assertEquals(allowed, parsed != null, type + (toRoom ? " on a room channel" : " on a node channel"));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.oneOf(Arbitraries.of("peer-joined", "peer-left", "peer-disconnected", "peer-reconnected", "message", "offer",
                "answer", "candidate", "sfu-offer", "sfu-closed", "welcome", "shutdown", "error", "response", "ping", "join"),
                Arbitraries.strings().alpha().ofMaxLength(12));
    }

    /** A peer-joined's peer passes only within the limits of a join: name 64, identity 128, meta an object of 2 KiB. */
    @Property(tries = 500)
    void peersKeepTheLimitsOfAJoin(@ForAll("lengths") int name, @ForAll("lengths") int identity, @ForAll("lengths") int meta,
            @ForAll boolean metaIsObject) {
        var peer = Wire.JSON.createObjectNode().put("id", "p9").put("name", "n".repeat(name)).put("away", false);
        if (identity > 0) peer.put("identity", "i".repeat(identity));
        if (metaIsObject) peer.putObject("meta").put("k", "m".repeat(meta));
        else peer.put("meta", "m".repeat(meta));
        var envelope = Wire.JSON.createObjectNode().put("node", "n2");
        envelope.putObject("event").put("type", "peer-joined").set("peer", peer);
        boolean within = name <= SignalingService.MAX_NAME && identity <= 128 && metaIsObject
                && Wire.write(peer.get("meta")).length() <= SignalingService.MAX_META;
        assertEquals(within, BusMessage.parse("parley:bus:room:r1", Wire.write(envelope)) != null, Wire.write(peer).length() + " chars");
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 3000), Arbitraries.of(0, 63, 64, 65, 127, 128, 129, 2038, 2039, 2040, 2041));
    }
}
