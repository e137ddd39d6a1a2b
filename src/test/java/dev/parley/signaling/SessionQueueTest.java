package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The resume queue of a session: bounded, and whole-state events replaced by their successors. */
class SessionQueueTest {
    private static final String HUNDRED_KB = "x".repeat(100_000);

    private static Session awaySession() {
        return new Session("peer", "P", null, "token", new Room("room", 100), 256);
    }

    private static ObjectNode event(String type, String payload) {
        ObjectNode event = Wire.message(type);
        event.put("sdp", payload);
        return event;
    }

    @Test
    void aNewerSfuOfferReplacesAnUnacknowledgedOlderOne() {
        Session session = awaySession();
        for (int i = 0; i < 30; i++) {
            assertEquals(Session.Delivery.QUEUED, session.deliver(event("sfu-offer", HUNDRED_KB)), "offer " + i + " overflowed the queue");
        }
        assertEquals(1, session.queuedEvents(), "only the newest offer is kept for a resume");
        assertTrue(session.canReplayAfter(0), "a resume from the start still gets every state it needs");
    }

    @Test
    void otherEventsStillCountAgainstTheByteBudget() {
        Session session = awaySession();
        Session.Delivery delivery = Session.Delivery.QUEUED;
        for (int i = 0; i < 30 && delivery == Session.Delivery.QUEUED; i++) delivery = session.deliver(event("message", HUNDRED_KB));
        assertEquals(Session.Delivery.OVERFLOW_AWAY, delivery, "ten 100 KB messages exceed the 1 MiB budget of an away session");
        assertFalse(session.canReplayAfter(0), "a resume from the start is impossible now");
    }
}
