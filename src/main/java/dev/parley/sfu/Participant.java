package dev.parley.sfu;

import dev.parley.rtc.RtcTransport;
import dev.parley.sfu.bwe.SubscriberCongestionControl;
import dev.parley.sfu.bwe.TransportCcReceiver;
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
    /** Transport-wide-cc feedback towards the publisher, or null when it did not negotiate it. */
    TransportCcReceiver publishFeedback;
    /** The publisher's transport-wide-cc extmap id (one per BUNDLE transport), or 0. */
    int publishTransportCcId;
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
     * The send-side bandwidth estimate of the subscribe transport and the allocation of it to
     * this subscriber's videos; created by the first answer on a transport, dropped with it.
     */
    SubscriberCongestionControl congestion;
    /** Test hook: the subscribe path's capacity in bits/s (0: none), a policer in the send path. */
    long capBpsForTest;
    double capTokens;
    long capClockMicros;
    /** The forwarded video tracks last reported to the subscriber (sfu-forwarding). */
    List<String> reportedForwarded = List.of();

    Participant(String peerId, Router router) {
        this.peerId = peerId;
        this.router = router;
    }

    boolean hasLiveSlots() {
        return slots.stream().anyMatch(s -> s.consumer() != null);
    }
}
