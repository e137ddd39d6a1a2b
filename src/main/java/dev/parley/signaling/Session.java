package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One peer's membership in a room. It outlives its socket for the resume grace period: events
 * for it are numbered ({@code seq}) and kept until the client acknowledges them, so a resumed
 * client receives exactly what it missed. Touched only on the signaling thread.
 */
final class Session {
    private final String peerId;
    private final String name;
    private final JsonNode meta;
    private final String resumeToken;
    private final Room room;
    private final int queueLimit;
    /** Bytes of unacknowledged events kept at most (the count limit alone lets big events pile up). */
    static final long QUEUE_BYTES_LIMIT = 1L << 20;
    /**
     * Events that describe a whole state, so a newer one makes the older obsolete: an unacknowledged
     * older one leaves the queue (it was already sent if the socket was here; a resume replays
     * only the newest). Without this a subscriber in a large room, whose every {@code sfu-offer} is
     * ~100 KB, would exceed the byte budget while people join and be closed as a slow consumer.
     */
    private static final Set<String> SUPERSEDED_BY_NEWER = Set.of("sfu-offer", "sfu-forwarding", "sfu-speaker");
    private final ArrayDeque<Queued> unacked = new ArrayDeque<>();
    private long unackedBytes;
    private long lastSeq;
    /** Highest seq that was dropped from the queue unacknowledged; resume below it is impossible. */
    private long lostUpTo;
    private SignalingSocket socket;
    /** When the client last acknowledged progress (or attached): a client that acks keeps up. */
    private long lastProgressNanos;
    /** Cluster mode: peers of other nodes its join result listed, whose own peer-joined may still be on its way. */
    private Set<String> listedAtJoin = Set.of();
    private ScheduledFuture<?> graceTimer;
    private boolean closed;
    /** The token's {@code sub}, or null in dev mode. */
    private final String identity;
    /** Media rights from the join token (both true in dev mode); they last as long as the session. */
    private final boolean canPublish;
    private final boolean canSubscribe;
    private final long joinedAtMillis = System.currentTimeMillis();
    /** The latest validated {@code stats} report (never mutated once stored), or null. */
    private ObjectNode stats;
    private long statsAtMillis;
    /** The latest socket's client, kept while away so the admin page still says who it was. */
    private String userAgent;
    private String remoteAddress;

    Session(String peerId, String name, JsonNode meta, String resumeToken, Room room, int queueLimit) {
        this(peerId, name, meta, resumeToken, room, queueLimit, null, true, true);
    }

    Session(String peerId, String name, JsonNode meta, String resumeToken, Room room, int queueLimit,
            String identity, boolean canPublish, boolean canSubscribe) {
        this.identity = identity;
        this.canPublish = canPublish;
        this.canSubscribe = canSubscribe;
        this.peerId = peerId;
        this.name = name;
        this.meta = meta;
        this.resumeToken = resumeToken;
        this.room = room;
        this.queueLimit = queueLimit;
    }

    String peerId() {
        return peerId;
    }

    String name() {
        return name;
    }

    String identity() {
        return identity;
    }

    boolean canPublish() {
        return canPublish;
    }

    boolean canSubscribe() {
        return canSubscribe;
    }

    JsonNode meta() {
        return meta;
    }

    String resumeToken() {
        return resumeToken;
    }

    long joinedAtMillis() {
        return joinedAtMillis;
    }

    /** Keeps {@code report} as the latest stats of this session; an older one is forgotten. */
    void stats(ObjectNode report, long atMillis) {
        stats = report;
        statsAtMillis = atMillis;
    }

    ObjectNode stats() {
        return stats;
    }

    long statsAtMillis() {
        return statsAtMillis;
    }

    String userAgent() {
        return userAgent;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    Room room() {
        return room;
    }

    SignalingSocket socket() {
        return socket;
    }

    void listedAtJoin(Set<String> peerIds) {
        listedAtJoin = peerIds.isEmpty() ? Set.of() : new java.util.HashSet<>(peerIds);
    }

    /** True (once) if the join result already listed this peer, so its peer-joined would be news twice. */
    boolean takeListedAtJoin(String peerId) {
        return !listedAtJoin.isEmpty() && listedAtJoin.remove(peerId);
    }

    boolean isAway() {
        return socket == null;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
        cancelGraceTimer();
        unacked.clear();
        unackedBytes = 0;
    }

    void attach(SignalingSocket newSocket) {
        socket = newSocket;
        lastProgressNanos = System.nanoTime();
        userAgent = newSocket.connection().userAgent();
        remoteAddress = newSocket.connection().remoteAddress();
        cancelGraceTimer();
    }

    void detach(ScheduledFuture<?> expiry) {
        socket = null;
        graceTimer = expiry;
    }

    private void cancelGraceTimer() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
    }

    /** What became of an event handed to {@link #deliver}. */
    enum Delivery {
        /** Sent (or kept for a resume) with the queue within its limits. */
        QUEUED,
        /**
         * Sent to the connected client, but the oldest unacknowledged events left the queue: a resume
         * from before them is impossible until the client acknowledges past them.
         */
        OVERFLOW_CONNECTED,
        /** Away, and the queue no longer covers the gap: the session can never be resumed consistently. */
        OVERFLOW_AWAY
    }

    /** Numbers an event, keeps it until acknowledged and sends it if the socket is here. */
    Delivery deliver(ObjectNode event) {
        event.put("seq", ++lastSeq);
        String text = Wire.write(event);
        String type = event.path("type").asText();
        if (SUPERSEDED_BY_NEWER.contains(type)) {
            unacked.removeIf(q -> {
                if (!q.type().equals(type)) return false;
                unackedBytes -= q.text().length();
                return true;
            });
        }
        unacked.addLast(new Queued(lastSeq, type, text));
        unackedBytes += text.length();
        boolean overflow = false;
        while (unacked.size() > queueLimit || unackedBytes > QUEUE_BYTES_LIMIT) {
            Queued dropped = unacked.removeFirst();
            unackedBytes -= dropped.text().length();
            lostUpTo = dropped.seq();
            overflow = true;
        }
        if (socket != null) socket.send(text);
        if (!overflow) return Delivery.QUEUED;
        return socket == null ? Delivery.OVERFLOW_AWAY : Delivery.OVERFLOW_CONNECTED;
    }

    /** The client has everything up to {@code seq}. */
    void acknowledge(long seq) {
        if (unacked.isEmpty() || seq >= unacked.peekFirst().seq()) lastProgressNanos = System.nanoTime();
        while (!unacked.isEmpty() && unacked.peekFirst().seq() <= seq) unackedBytes -= unacked.removeFirst().text().length();
    }

    /** True if every event after {@code clientSeq} is still queued. */
    boolean canReplayAfter(long clientSeq) {
        return clientSeq >= lostUpTo && clientSeq <= lastSeq;
    }

    /** Sends every queued event after {@code clientSeq}, in order. */
    void replayAfter(long clientSeq) {
        acknowledge(clientSeq);
        for (Queued q : unacked) socket.send(q.text());
    }

    /** Nanoseconds (System.nanoTime) since the client last acknowledged progress or attached. */
    long nanosSinceProgress(long now) {
        return now - lastProgressNanos;
    }

    int queuedEvents() {
        return unacked.size();
    }

    private record Queued(long seq, String type, String text) {}
}
