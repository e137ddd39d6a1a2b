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
                "\"to\"", "\"type\"", "\"peer-joined\"", "\"n1\"", "null", "1", "true", "{\"type\":\"message\"}", "\"");
        return Arbitraries.oneOf(pieces.list().ofMaxSize(30).map(l -> String.join("", l)), Arbitraries.strings().ofMaxLength(200));
    }

    @Property(tries = 2000)
    void neverThrows(@ForAll("channels") String channel, @ForAll("payloads") String text) {
        BusMessage.parse(channel, text);
    }

    @Example
    void readsBothKindsAndRefusesHalfMessages() {
        BusMessage room = BusMessage.parse("parley:bus:room:r1", "{\"node\":\"n2\",\"except\":\"p1\",\"event\":{\"type\":\"peer-left\"}}");
        assertEquals("n2", room.origin());
        assertEquals("r1", room.room());
        assertEquals("p1", room.peer());
        BusMessage relay = BusMessage.parse("parley:bus:node:n1", "{\"room\":\"r1\",\"to\":\"p2\",\"event\":{\"type\":\"offer\"}}");
        assertEquals("p2", relay.peer());
        assertEquals(false, relay.isRoomEvent());
        assertNull(BusMessage.parse("parley:bus:room:r1", "{\"event\":{\"type\":\"x\"}}"), "no origin");
        assertNull(BusMessage.parse("parley:bus:room:r1", "{\"node\":\"n2\",\"event\":{\"type\":7}}"), "type not text");
        assertNull(BusMessage.parse("parley:bus:node:n1", "{\"room\":\"r1\",\"event\":{\"type\":\"offer\"}}"), "no target");
        assertNull(BusMessage.parse("parley:bus:room:r1", "[]"));
    }
}
