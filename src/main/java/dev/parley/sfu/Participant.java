package dev.parley.sfu;

import dev.parley.rtc.RtcTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One peer in a router: a publish transport (the browser offers, the SFU answers) and a
 * subscribe transport (the SFU offers, the browser answers) — two peer connections, as LiveKit
 * and mediasoup-client use, so renegotiation is always started by the side that changed and
 * never glares.
 */
final class Participant {
    final String peerId;
    final Router router;
    RtcTransport publishTransport;
    long publishVersion;
    final Map<String, Producer> producersByMid = new LinkedHashMap<>();

    RtcTransport subscribeTransport;
    /** m-lines of the subscribe connection, in order; a retired slot stays, inactive, with its mid. */
    final List<SfuSdp.SubscriberSlot> slots = new ArrayList<>();
    final Map<Producer, Consumer> consumers = new LinkedHashMap<>();
    long offerVersion;
    /** An offer is out and its answer has not come back. */
    boolean awaitingAnswer;
    /** The subscription changed since the last offer. */
    boolean subscriptionChanged;
    boolean closed;

    /** What this subscriber asked for (sfu-constraints). */
    ReceiverConstraints constraints = ReceiverConstraints.DEFAULT;
    /**
     * Bits per second the subscribe transport can carry, shared by its videos (VideoAllocator).
     * Unlimited until a send-side bandwidth estimator feeds it through {@link Sfu#availableBitrate}.
     */
    long availableBitrate = Long.MAX_VALUE;
    /** The forwarded / paused video tracks last reported to the subscriber. */
    List<String> reportedForwarded = List.of();
    List<String> reportedPaused = List.of();

    Participant(String peerId, Router router) {
        this.peerId = peerId;
        this.router = router;
    }

    boolean hasLiveSlots() {
        return slots.stream().anyMatch(s -> s.consumer() != null);
    }
}
