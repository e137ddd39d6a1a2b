package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.sfu.ReceiverConstraints;
import dev.parley.sfu.Sfu;
import dev.parley.sfu.SfuEvents;
import dev.parley.sfu.SfuException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, sessions and the signaling protocol (docs/protocol.md). All state lives on one
 * signaling thread, so no state is shared between threads; sockets call in through
 * {@link #open}, {@link #receive} and {@link #closed}, which only enqueue work.
 */
public final class SignalingService implements AutoCloseable {
    /** WebSocket close code (RFC 6455 §7.4.1 private range) for a socket replaced by a resume. */
    public static final int CLOSE_REPLACED = 4000;
    /** Close code for a socket that stopped answering heartbeats. */
    public static final int CLOSE_HEARTBEAT_TIMEOUT = 4001;
    /** Close code for a client that keeps exceeding its rate limit (RFC 6455 policy violation). */
    public static final int CLOSE_POLICY = 1008;
    /** Close code for a client whose outgoing queue grew beyond the limit. */
    public static final int CLOSE_SLOW_CONSUMER = 4002;

    private static final Logger log = LoggerFactory.getLogger(SignalingService.class);
    private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_NAME = 64;
    private static final int MAX_SDP = 60_000;
    /** Messages that carry an SFU session description, allowed past the frame limit. */
    private static final Set<String> SFU_DESCRIPTIONS = Set.of("sfu-publish", "sfu-answer");
    static final int MAX_META = 2048;

    private final SignalingSettings settings;
    private final SignalingMetrics metrics;
    private final ScheduledExecutorService loop;
    private final SecureRandom random = new SecureRandom();
    private final Set<SignalingSocket> sockets = new LinkedHashSet<>();
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Session> sessionsByToken = new HashMap<>();
    private final Sfu sfu;
    private final IceServerSource iceServers;
    private final JoinAuthorizer authorizer;
    private final Cluster cluster;
    private final MeterRegistry registry;
    /** Remote peers marked away because their node went silent (not because their own socket dropped). */
    private final Set<String> awayWithTheirNode = new java.util.HashSet<>();
    /** Sockets whose join waits for the cluster's answer. */
    private final Set<SignalingSocket> joining = new java.util.HashSet<>();
    private volatile boolean shuttingDown;

    /** Signaling without a media plane (P2P rooms only). */
    public SignalingService(SignalingSettings settings, MeterRegistry registry) {
        this(settings, registry, null, peer -> settings.iceServers());
    }

    /**
     * Signaling whose rooms can also hold SFU media ({@code sfu-*} messages), handing out the ICE
     * servers {@code iceServers} chooses for each peer.
     */
    public SignalingService(SignalingSettings settings, MeterRegistry registry, Sfu sfu, IceServerSource iceServers) {
        this(settings, registry, sfu, iceServers, null, Cluster.singleNode());
    }

    /**
     * As above; with a {@code tokens} verifier every join needs a join token (docs/protocol.md,
     * "Join tokens"), without one (null) anyone may join. Rooms are shared with other nodes through
     * {@code cluster} (docs/operations.md, Scaling), or kept here with {@link Cluster#singleNode()}.
     */
    public SignalingService(SignalingSettings settings, MeterRegistry registry, Sfu sfu, IceServerSource iceServers,
            dev.parley.signaling.auth.TokenVerifier tokens, Cluster cluster) {
        this.authorizer = tokens == null ? JoinAuthorizer.OPEN : new JoinAuthorizer(tokens);
        this.settings = settings;
        this.sfu = sfu;
        this.iceServers = iceServers;
        this.cluster = cluster;
        if (sfu != null) sfu.events(new MediaEvents());
        this.metrics = new SignalingMetrics(registry);
        this.registry = registry;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "signaling");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::checkHeartbeats, 500, 500, TimeUnit.MILLISECONDS);
        cluster.start(new ClusterBridge(this));
    }

    public SignalingSettings settings() {
        return settings;
    }

    // ---- socket events (any thread) -------------------------------------------------------

    /** A socket opened; returns the handle the caller passes back on every later event. */
    public SignalingSocket open(Connection connection) {
        SignalingSocket socket = new SignalingSocket(connection,
                new TokenBucket(settings.rateLimitPerSecond(), settings.rateLimitBurst(), System.nanoTime()),
                metrics, System.nanoTime());
        loop.execute(() -> {
            if (shuttingDown) {
                socket.send(Wire.write(shutdownMessage()));
                socket.close(1001, "server shutting down");
                return;
            }
            sockets.add(socket);
            metrics.sockets.set(sockets.size());
            ObjectNode welcome = Wire.message("welcome");
            welcome.put("heartbeatInterval", settings.heartbeatInterval().toMillis());
            welcome.put("heartbeatTimeout", settings.heartbeatTimeout().toMillis());
            welcome.put("resumeGrace", settings.resumeGrace().toMillis());
            welcome.put("maxMessageBytes", settings.maxMessageBytes());
            socket.send(Wire.write(welcome));
        });
        return socket;
    }

    /**
     * A text frame arrived. Frames of one socket arrive one at a time, so the rate limit is
     * checked here, on the socket's own thread, before anything is measured, parsed or queued:
     * a flood costs the signaling thread nothing.
     */
    public void receive(SignalingSocket socket, String text) {
        long now = System.nanoTime();
        if (socket.isClosed()) return; // while shutting down, join and resume are answered shutting-down
        if (!socket.rateLimit().tryTake(now)) {
            int dropped = socket.dropped(now);
            if (dropped > 2 * settings.rateLimitBurst()) {
                onLoop(() -> {
                    metrics.error(ErrorCode.RATE_LIMITED);
                    if (socket.isClosed()) return;
                    log.info("closing {}: kept exceeding its rate limit", socket.connection().remoteAddress());
                    dropSocket(socket, CLOSE_POLICY, "rate limit exceeded");
                });
            } else if (socket.shouldReportRateLimit(now)) {
                onLoop(() -> reject(socket, null, null, new SignalingException(ErrorCode.RATE_LIMITED)));
            } else {
                metrics.error(ErrorCode.RATE_LIMITED);
            }
            return;
        }
        boolean overLimit = utf8LengthExceeds(text, settings.maxMessageBytes());
        if (overLimit && utf8LengthExceeds(text, maxSfuDescriptionBytes())) {
            onLoop(() -> {
                socket.heard(now);
                reject(socket, null, null, tooLarge());
            });
            return;
        }
        ObjectNode parsed;
        SignalingException parseError = null;
        JsonNode refusedId = null;
        try {
            parsed = Wire.parse(text);
            if (overLimit && !SFU_DESCRIPTIONS.contains(parsed.path("type").asText())) {
                // Only an SFU description may use the larger limit (see maxSfuDescriptionBytes).
                refusedId = parsed.get("id");
                parsed = null;
                parseError = tooLarge();
            }
        } catch (SignalingException e) {
            parsed = null;
            parseError = e;
        }
        ObjectNode message = parsed;
        SignalingException error = parseError;
        JsonNode errorId = refusedId;
        onLoop(() -> {
            if (socket.isClosed()) return;
            metrics.messageIn();
            socket.heard(now);
            if (error != null) {
                reject(socket, errorId, null, error);
                return;
            }
            handle(socket, message);
        });
    }

    private SignalingException tooLarge() {
        return new SignalingException(ErrorCode.TOO_LARGE, "messages are limited to " + settings.maxMessageBytes()
                + " bytes (sfu-publish and sfu-answer to " + maxSfuDescriptionBytes() + ")");
    }

    /** True if the UTF-8 form of {@code text} is longer than {@code limit}, encoding it only when in doubt. */
    private static boolean utf8LengthExceeds(String text, int limit) {
        if (text.length() > limit) return true;
        if ((long) text.length() * 3 <= limit) return false; // a UTF-16 unit is at most 3 UTF-8 bytes
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limit;
    }

    /** Runs on the signaling thread; silently dropped once the service has stopped. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down: nothing more to do for this socket
        }
    }

    /** The socket closed (either side). Its session, if any, waits for a resume. */
    public void closed(SignalingSocket socket) {
        onLoop(() -> detachSocket(socket));
    }

    /** The server layer rejected a socket before it became one (for metrics), e.g. a bad origin. */
    public void countRejectedFrame(ErrorCode code) {
        metrics.error(code);
    }

    // ---- message handling (signaling thread) --------------------------------------------------

    private void handle(SignalingSocket socket, ObjectNode message) {
        String type = message.get("type").textValue();
        JsonNode id = message.get("id");
        try {
            switch (type) {
                case "join" -> join(socket, message);
                case "leave" -> leave(socket, message);
                case "resume" -> resume(socket, message);
                case "offer", "answer", "candidate", "message" -> relay(socket, type, message);
                case "sfu-join", "sfu-publish", "sfu-answer", "sfu-constraints" -> media(socket, type, message);
                case "stats" -> stats(socket, message);
                case "ping" -> {
                    acknowledge(socket, message);
                    ObjectNode pong = Wire.message("pong");
                    if (message.has("t")) pong.set("t", message.get("t"));
                    socket.send(Wire.write(pong));
                }
                case "pong" -> acknowledge(socket, message);
                case "ack" -> acknowledge(socket, message);
                default -> throw new SignalingException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'");
            }
        } catch (SignalingException e) {
            reject(socket, id, type, e);
        } catch (RuntimeException e) {
            log.error("failed to handle a '{}' message", type, e);
            reject(socket, id, type, new SignalingException(ErrorCode.INTERNAL));
        }
    }

    private void join(SignalingSocket socket, ObjectNode message) throws SignalingException {
        if (shuttingDown) throw new SignalingException(ErrorCode.SHUTTING_DOWN);
        if (socket.session() != null || joining.contains(socket)) throw new SignalingException(ErrorCode.ALREADY_JOINED);
        String roomId = Wire.optionalString(message, "room", 64);
        if (roomId != null && !ROOM_ID.matcher(roomId).matches()) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "room ids are 1-64 of A-Z a-z 0-9 _ -");
        }
        String name = Wire.optionalString(message, "name", MAX_NAME);
        JoinAuthorizer.Admission grant = authorizer.admit(
                Wire.optionalString(message, "token", dev.parley.signaling.auth.TokenVerifier.MAX_TOKEN_CHARS), roomId, name);
        roomId = grant.room();
        name = grant.name();
        if (roomId != null && !ROOM_ID.matcher(roomId).matches()) {
            throw new SignalingException(ErrorCode.TOKEN_INVALID, "the token's room is not a valid room id (1-64 of A-Z a-z 0-9 _ -)");
        }
        JsonNode capacityNode = message.get("capacity");
        int capacity = settings.maxRoomSize();
        if (capacityNode != null && !capacityNode.isNull()) {
            if (!capacityNode.canConvertToInt() || !capacityNode.isIntegralNumber()
                    || capacityNode.intValue() < 1 || capacityNode.intValue() > settings.maxRoomSize()) {
                throw new SignalingException(ErrorCode.BAD_MESSAGE,
                        "field 'capacity' must be a whole number from 1 to " + settings.maxRoomSize());
            }
            capacity = capacityNode.intValue();
        }
        JsonNode meta = message.get("meta");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'meta' must be an object");
        }
        if (meta != null && Wire.write(meta).length() > MAX_META) {
            // meta is copied into every peer list and peer-joined event: keep it small
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'meta' is larger than " + MAX_META + " bytes");
        }
        Room room = roomId == null ? null : rooms.get(roomId);
        if (room == null) {
            room = new Room(roomId == null ? newRoomId() : roomId, capacity);
            rooms.put(room.id(), room);
            metrics.rooms.set(rooms.size());
        } else if (room.isFull()) {
            throw new SignalingException(ErrorCode.ROOM_FULL,
                    "room " + room.id() + " is full (capacity " + room.capacity() + ")");
        }
        String peerId = randomId(9);
        String peerName = name == null || name.isBlank() ? "Guest" : name.strip();
        JsonNode peerMeta = meta == null || meta.isNull() ? null : meta;
        Room seat = room;
        JsonNode requestId = message.get("id");
        seat.joinStarted();
        joining.add(socket);
        whenDone(cluster.admit(room.id(), room.capacity(), Wire.peer(peerId, peerName, grant.identity(), peerMeta, false)), (admission, failure) -> {
            joining.remove(socket);
            if (failure == null && !socket.isClosed() && !shuttingDown) {
                admitted(socket, requestId, seat, admission, grant, peerId, peerName, peerMeta);
                seat.joinEnded(); // after: the room's record of peers that left meanwhile applies to this answer
                return;
            }
            seat.joinEnded();
            if (failure == null) cluster.leave(seat.id(), peerId); // the socket went away meanwhile
            forgetIfIdle(seat);
            if (failure != null) reject(socket, requestId, "join", clusterFailure(failure));
        });
    }

    /** Runs {@code then} on the signaling thread: at once if {@code future} is done (always on a single node). */
    private <T> void whenDone(CompletableFuture<T> future, java.util.function.BiConsumer<T, Throwable> then) {
        if (future.isDone()) {
            T value = null;
            Throwable failure = null;
            try {
                value = future.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                failure = e;
            }
            then.accept(value, failure);
        } else {
            future.whenComplete((value, failure) -> onLoop(() -> then.accept(value, failure)));
        }
    }

    private SignalingException clusterFailure(Throwable failure) {
        Throwable cause = Failures.cause(failure);
        if (cause instanceof SignalingException e) return e;
        log.warn("cluster request failed: {}", cause.toString());
        return new SignalingException(ErrorCode.CLUSTER_UNAVAILABLE);
    }

    /** The cluster gave the peer its seat: the session starts, with the rights its join token granted. */
    private void admitted(SignalingSocket socket, JsonNode requestId, Room room, Cluster.Admission admission,
            JoinAuthorizer.Admission grant, String peerId, String name, JsonNode meta) {
        room.capacity(admission.capacity());
        admission.peers().forEach(room::addRemote);
        Session session = new Session(peerId, name, meta, randomId(24), room, settings.resumeQueueLimit(),
                grant.identity(), grant.canPublish(), grant.canSubscribe());
        session.attach(socket);
        socket.session(session);
        sessionsByToken.put(session.resumeToken(), session);
        metrics.sessionsConnected.incrementAndGet();

        ObjectNode joined = Wire.message("peer-joined");
        joined.set("peer", Wire.peer(session));
        broadcast(room, session, joined);
        room.add(session);

        ObjectNode result = sessionResult(session);
        if (!room.remotes().isEmpty()) {
            session.listedAtJoin(room.remotes().stream().map(Cluster.RemotePeer::id).collect(java.util.stream.Collectors.toSet()));
        }
        socket.send(Wire.write(Wire.response(requestId, result)));
        log.debug("peer {} joined room {} ({} members)", peerId, room.id(), room.members().size());
    }

    private ObjectNode sessionResult(Session session) {
        ObjectNode result = Wire.JSON.createObjectNode();
        result.put("room", session.room().id());
        result.put("peerId", session.peerId());
        result.put("name", session.name());
        if (session.identity() != null) {
            result.put("identity", session.identity());
            result.put("canPublish", session.canPublish());
            result.put("canSubscribe", session.canSubscribe());
        }
        result.put("resumeToken", session.resumeToken());
        result.put("capacity", session.room().capacity());
        var peers = result.putArray("peers");
        for (Session other : session.room().members()) {
            if (other != session) peers.add(Wire.peer(other));
        }
        for (Cluster.RemotePeer other : session.room().remotes()) peers.add(other.peer().deepCopy());
        result.set("iceServers", Wire.iceServers(iceServers.forPeer(session.peerId())));
        return result;
    }

    private void leave(SignalingSocket socket, ObjectNode message) throws SignalingException {
        Session session = socket.session();
        if (session == null) throw new SignalingException(ErrorCode.NOT_JOINED);
        socket.session(null);
        metrics.sessionsConnected.decrementAndGet();
        endSession(session, "left");
        socket.send(Wire.write(Wire.response(message.get("id"), Wire.JSON.createObjectNode())));
    }

    private void resume(SignalingSocket socket, ObjectNode message) throws SignalingException {
        if (shuttingDown) throw new SignalingException(ErrorCode.SHUTTING_DOWN);
        if (socket.session() != null || joining.contains(socket)) throw new SignalingException(ErrorCode.ALREADY_JOINED);
        String token = Wire.requiredString(message, "token", 128);
        JsonNode lastSeqNode = message.get("lastSeq");
        long lastSeq = lastSeqNode == null || lastSeqNode.isNull() ? 0 : lastSeqNode.asLong(-1);
        if (lastSeq < 0) throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'lastSeq' must be a whole number");
        Session session = sessionsByToken.get(token);
        if (session == null || session.isClosed()) {
            throw new SignalingException(ErrorCode.RESUME_FAILED, "session expired or unknown; join again");
        }
        boolean wasAway = session.isAway();
        if (!wasAway) {
            // The old socket is dead but the server has not noticed yet: the new one wins.
            SignalingSocket old = session.socket();
            old.session(null);
            metrics.sessionsConnected.decrementAndGet();
            dropSocket(old, CLOSE_REPLACED, "session resumed on another connection");
        } else {
            metrics.sessionsAway.decrementAndGet();
        }
        if (!session.canReplayAfter(lastSeq)) {
            endSession(session, "resume-failed");
            throw new SignalingException(ErrorCode.RESUME_FAILED,
                    "events after " + lastSeq + " are no longer queued; join again");
        }
        metrics.sessionsConnected.incrementAndGet();
        session.attach(socket);
        socket.session(session);
        metrics.resumed();
        socket.send(Wire.write(Wire.response(message.get("id"), sessionResult(session))));
        session.replayAfter(lastSeq);
        if (wasAway) {
            ObjectNode back = Wire.message("peer-reconnected");
            back.put("peerId", session.peerId());
            broadcast(session.room(), session, back);
        }
        log.debug("peer {} resumed in room {} after seq {}", session.peerId(), session.room().id(), lastSeq);
    }

    private void relay(SignalingSocket socket, String type, ObjectNode message) throws SignalingException {
        Session from = socket.session();
        if (from == null || from.isClosed()) throw new SignalingException(ErrorCode.NOT_JOINED);
        String to = Wire.optionalString(message, "to", 64);
        switch (type) {
            case "offer", "answer" -> Wire.requiredString(message, "sdp", MAX_SDP);
            case "candidate" -> {
                JsonNode candidate = message.get("candidate");
                if (candidate == null || !(candidate.isNull() || candidate.isObject())) {
                    throw new SignalingException(ErrorCode.BAD_MESSAGE,
                            "field 'candidate' must be an RTCIceCandidateInit object, or null for end-of-candidates");
                }
            }
            default -> { }
        }
        if (!type.equals("message") && to == null) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'to' (peer id) is required for " + type);
        }
        Session target = null;
        Cluster.RemotePeer remote = null;
        if (to != null) {
            target = from.room().member(to);
            if (target == null) remote = from.room().remote(to);
            if ((target == null && remote == null) || target == from) {
                throw new SignalingException(ErrorCode.UNKNOWN_PEER, "no peer '" + to + "' in this room");
            }
        }
        JsonNode id = message.remove("id");
        message.remove("to");
        message.remove("seq");
        message.put("from", from.peerId());
        if (target != null) {
            deliver(target, message);
        } else if (remote != null) {
            cluster.send(remote.node(), from.room().id(), to, message);
        } else {
            broadcast(from.room(), from, message);
        }
        metrics.relayed(type);
        if (id != null) socket.send(Wire.write(Wire.response(id, Wire.JSON.createObjectNode())));
    }

    /** {@code stats}: kept as the session's latest report for the admin page, never relayed. */
    private void stats(SignalingSocket socket, ObjectNode message) throws SignalingException {
        Session session = socket.session();
        if (session == null) throw new SignalingException(ErrorCode.NOT_JOINED);
        session.stats(StatsReport.validate(message), System.currentTimeMillis());
        metrics.statsReport();
        JsonNode id = message.get("id");
        if (id != null) socket.send(Wire.write(Wire.response(id, Wire.JSON.createObjectNode())));
    }

    /** {@code sfu-join}, {@code sfu-publish}, {@code sfu-answer}: handed to the media plane. */
    private void media(SignalingSocket socket, String type, ObjectNode message) throws SignalingException {
        Session session = socket.session();
        if (session == null) throw new SignalingException(ErrorCode.NOT_JOINED);
        if (sfu == null) throw new SignalingException(ErrorCode.UNKNOWN_TYPE, "this server runs without an SFU");
        String room = session.room().id();
        String peer = session.peerId();
        JsonNode id = message.get("id");
        // Grants of the join token; without canSubscribe MediaEvents also withholds sfu-offer, so no media flows to it.
        if (type.equals("sfu-publish") && !session.canPublish()) {
            throw new SignalingException(ErrorCode.FORBIDDEN, "the token does not allow publishing media (canPublish)");
        }
        if (type.equals("sfu-join") && !session.canSubscribe()) {
            throw new SignalingException(ErrorCode.FORBIDDEN, "the token does not allow receiving media (canSubscribe)");
        }
        // Fields are checked now; the SFU is called once the room's media is known to live here.
        java.util.function.Supplier<CompletableFuture<ObjectNode>> call = switch (type) {
            case "sfu-join" -> () -> sfu.join(room, peer, true).thenApply(v -> Wire.JSON.createObjectNode());
            case "sfu-publish" -> {
                String offer = Wire.requiredString(message, "sdp", maxSfuSdp());
                yield () -> sfu.join(room, peer).thenCompose(v -> sfu.publish(room, peer, offer))
                        .thenApply(answer -> Wire.JSON.createObjectNode().put("sdp", answer));
            }
            case "sfu-constraints" -> {
                ReceiverConstraints constraints = receiverConstraints(message);
                yield () -> sfu.constraints(room, peer, constraints).thenApply(v -> Wire.JSON.createObjectNode());
            }
            default -> {
                String answer = Wire.requiredString(message, "sdp", maxSfuSdp());
                JsonNode version = message.get("version");
                if (version == null || !version.isIntegralNumber()) {
                    throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'version' (integer) is required");
                }
                yield () -> sfu.answer(room, peer, answer, version.longValue()).thenApply(v -> Wire.JSON.createObjectNode());
            }
        };
        CompletableFuture<String> placement = type.equals("sfu-join") || type.equals("sfu-publish")
                ? cluster.placeSfu(room) : CompletableFuture.completedFuture(null);
        // Back on the signaling thread before the SFU is called: the session may have ended during
        // the placement's round trip to Redis, and an SFU join after its leave would stay behind.
        whenDone(placement, (owner, placementFailure) -> {
            if (placementFailure != null) {
                answerMedia(socket, id, type, null, placementFailure);
            } else if (owner != null) {
                answerMedia(socket, id, type, null, new SignalingException(ErrorCode.REDIRECT,
                        "this room's media is served by " + owner + "; reconnect there and join again", owner));
            } else if (session.isClosed()) {
                answerMedia(socket, id, type, null, new SignalingException(ErrorCode.NOT_JOINED, "the session ended"));
            } else {
                CompletableFuture<ObjectNode> result;
                try {
                    result = call.get();
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                result.whenComplete((body, failure) -> onLoop(() -> answerMedia(socket, id, type, body, failure)));
            }
        });
    }

    /** Answers a media request (signaling thread): its result, or its failure as a coded error. */
    private void answerMedia(SignalingSocket socket, JsonNode id, String type, ObjectNode body, Throwable failure) {
        if (failure == null) {
            socket.send(Wire.write(Wire.response(id, body)));
            return;
        }
        Throwable cause = Failures.cause(failure);
        if (cause instanceof SfuException sfuError) {
            ErrorCode code = switch (sfuError.reason()) {
                case BAD_SDP -> ErrorCode.BAD_SDP;
                case STALE_ANSWER -> ErrorCode.STALE_ANSWER;
                case NOT_JOINED -> ErrorCode.NOT_JOINED;
            };
            reject(socket, id, type, new SignalingException(code, sfuError.getMessage()));
        } else if (cause instanceof SignalingException refused) {
            reject(socket, id, type, refused); // redirect, cluster-unavailable
        } else {
            log.error("media request '{}' failed", type, cause);
            reject(socket, id, type, new SignalingException(ErrorCode.INTERNAL));
        }
    }

    /**
     * An SFU subscribe answer has one m-line per track in the room (about 450 bytes each from
     * Chromium: ~90 KB for 100 people with camera and microphone), so SFU descriptions may be four
     * times the frame limit ({@code --ws-max-message-bytes}; the WebSocket layer closes frames
     * beyond that with 1009). Every other message keeps the frame limit.
     */
    private int maxSfuDescriptionBytes() {
        return 4 * settings.maxMessageBytes();
    }

    private int maxSfuSdp() {
        return Math.max(MAX_SDP, maxSfuDescriptionBytes());
    }

    /** Most tracks named in one {@code sfu-constraints}: a 100-person room with camera and screen each. */
    private static final int MAX_CONSTRAINED_TRACKS = 256;

    /**
     * {@code sfu-constraints}: {@code maxHeight} (object: track id → pixels), {@code defaultMaxHeight},
     * {@code onStage} (array of track or peer ids), {@code lastN}; absent fields keep the defaults.
     */
    private static ReceiverConstraints receiverConstraints(ObjectNode message) throws SignalingException {
        ReceiverConstraints defaults = ReceiverConstraints.DEFAULT;
        java.util.Map<String, Integer> maxHeight = new java.util.HashMap<>();
        JsonNode heights = message.get("maxHeight");
        if (heights != null && !heights.isNull()) {
            if (!heights.isObject() || heights.size() > MAX_CONSTRAINED_TRACKS) {
                throw new SignalingException(ErrorCode.BAD_MESSAGE,
                        "field 'maxHeight' must be an object of at most " + MAX_CONSTRAINED_TRACKS + " track ids");
            }
            var fields = heights.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().length() > 64) throw new SignalingException(ErrorCode.BAD_MESSAGE, "track ids are at most 64 characters");
                maxHeight.put(field.getKey(), pixels(field.getValue(), "maxHeight." + field.getKey()));
            }
        }
        JsonNode fallback = message.get("defaultMaxHeight");
        int defaultMaxHeight = fallback == null || fallback.isNull() ? defaults.defaultMaxHeight() : pixels(fallback, "defaultMaxHeight");
        java.util.List<String> onStage = new java.util.ArrayList<>();
        JsonNode stage = message.get("onStage");
        if (stage != null && !stage.isNull()) {
            if (!stage.isArray() || stage.size() > MAX_CONSTRAINED_TRACKS) {
                throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'onStage' must be an array of track or peer ids");
            }
            for (JsonNode entry : stage) {
                if (!entry.isTextual() || entry.textValue().length() > 64) {
                    throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'onStage' must hold track or peer ids (strings)");
                }
                onStage.add(entry.textValue());
            }
        }
        JsonNode lastNode = message.get("lastN");
        int lastN = defaults.lastN();
        if (lastNode != null && !lastNode.isNull()) {
            if (!lastNode.isIntegralNumber() || !lastNode.canConvertToInt() || lastNode.intValue() < 0 || lastNode.intValue() > 1000) {
                throw new SignalingException(ErrorCode.BAD_MESSAGE, "field 'lastN' must be a whole number from 0 to 1000");
            }
            lastN = lastNode.intValue();
        }
        return new ReceiverConstraints(maxHeight, defaultMaxHeight, onStage, lastN);
    }

    private static int pixels(JsonNode value, String field) throws SignalingException {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0 || value.intValue() > 16384) {
            throw new SignalingException(ErrorCode.BAD_MESSAGE, "field '" + field + "' must be a whole number of pixels from 0 to 16384");
        }
        return value.intValue();
    }

    /** Delivers the SFU's offers and media events to sessions, on the signaling thread. */
    private final class MediaEvents implements SfuEvents {
        @Override
        public void subscriberOffer(String room, String peerId, String sdp, long version) {
            onLoop(() -> {
                Session session = member(room, peerId);
                if (session == null || !session.canSubscribe()) return;
                ObjectNode offer = Wire.message("sfu-offer");
                offer.put("sdp", sdp);
                offer.put("version", version);
                deliver(session, offer);
            });
        }

        @Override
        public void mediaClosed(String room, String peerId, String reason) {
            onLoop(() -> {
                Session session = member(room, peerId);
                if (session == null) return;
                ObjectNode closed = Wire.message("sfu-closed");
                closed.put("reason", reason);
                deliver(session, closed);
            });
        }

        @Override
        public void dominantSpeaker(String room, String peerId) {
            onLoop(() -> {
                Room r = rooms.get(room);
                if (r == null) return;
                ObjectNode speaker = Wire.message("sfu-speaker");
                speaker.put("peerId", peerId);
                broadcastHere(r, null, speaker);
            });
        }

        @Override
        public void forwarding(String room, String peerId, java.util.List<String> forwarded) {
            onLoop(() -> {
                Session session = member(room, peerId);
                if (session == null) return;
                ObjectNode event = Wire.message("sfu-forwarding");
                forwarded.forEach(event.putArray("forwarded")::add);
                deliver(session, event);
            });
        }

        private Session member(String room, String peerId) {
            Room r = rooms.get(room);
            return r == null ? null : r.member(peerId);
        }
    }

    // ---- other nodes' events (signaling thread; see ClusterBridge) ----------------------------

    /** A room event from another node: keep the roster of remote members, then tell local members. */
    void onRoomEvent(String origin, String roomId, String exceptPeer, ObjectNode event) {
        Room room = rooms.get(roomId);
        if (room == null) return;
        String type = event.path("type").asText();
        String peerId = event.path("peerId").asText();
        // A gone node's peers are reported by the node that reaps them, so peer-left may come from any
        // node; one about a peer still here follows a Redis outage (this node restores its seats): not news here.
        if (type.equals("peer-left") && room.member(peerId) != null) return;
        boolean claimsTooMuch = switch (type) {
            case "peer-joined" -> room.member(event.path("peer").path("id").asText()) != null;
            case "peer-left" -> false;
            case "peer-disconnected", "peer-reconnected" -> !remoteOn(room, origin, peerId);
            case "message" -> !remoteOn(room, origin, event.path("from").asText());
            default -> true; // BusMessage lets no other type through
        };
        if (claimsTooMuch) {
            busDropped();
            return;
        }
        switch (type) {
            case "peer-joined" -> {
                if (!(event.get("peer") instanceof ObjectNode peer) || !peer.path("id").isTextual()) return;
                String joinedId = peer.path("id").asText();
                room.addRemote(new Cluster.RemotePeer(origin, peer.deepCopy()));
                for (Session member : new ArrayList<>(room.members())) {
                    if (!member.takeListedAtJoin(joinedId)) deliver(member, event.deepCopy());
                }
                return;
            }
            case "peer-left" -> {
                room.removeRemote(peerId);
                awayWithTheirNode.remove(peerId);
            }
            case "peer-disconnected", "peer-reconnected" -> {
                Cluster.RemotePeer remote = room.remote(peerId);
                if (remote != null) remote.peer().put("away", type.equals("peer-disconnected"));
            }
            default -> { }
        }
        broadcastHere(room, exceptPeer, event);
    }

    /** A relay from another node for one of this node's peers, from a member on that node. */
    void onPeerEvent(String origin, String roomId, String peerId, ObjectNode event) {
        Room room = rooms.get(roomId);
        Session target = room == null ? null : room.member(peerId);
        if (target == null || target.isClosed()) return;
        if (!remoteOn(room, origin, event.path("from").asText())) {
            busDropped();
            return;
        }
        deliver(target, event);
    }

    /** True if {@code peerId} is a member of {@code room} on node {@code origin} (not one of this node's). */
    private static boolean remoteOn(Room room, String origin, String peerId) {
        Cluster.RemotePeer remote = room.remote(peerId);
        return remote != null && remote.node().equals(origin) && room.member(peerId) == null;
    }

    /** A bus message that passed parsing ({@link BusMessage}) but claims what its node may not: dropped, counted. */
    private void busDropped() {
        io.micrometer.core.instrument.Counter.builder("parley.cluster.bus.dropped")
                .description("bus messages that could not be read, dropped").register(registry).increment();
    }

    /**
     * A node went silent (away = true: its peers are away until the cluster removes them) or came
     * back in time (away = false). Only peers the node's silence made away are brought back.
     */
    void onNodeAway(String node, boolean away) {
        for (Room room : new ArrayList<>(rooms.values())) {
            for (Cluster.RemotePeer remote : new ArrayList<>(room.remotes())) {
                if (!remote.node().equals(node) || remote.peer().path("away").asBoolean() == away) continue;
                if (away ? !awayWithTheirNode.add(remote.id()) : !awayWithTheirNode.remove(remote.id())) continue;
                remote.peer().put("away", away);
                ObjectNode event = Wire.message(away ? "peer-disconnected" : "peer-reconnected");
                event.put("peerId", remote.id());
                broadcastHere(room, null, event);
            }
        }
    }

    /** The cluster lost this node's seats: put back every local session's. */
    void onReannounce() {
        for (Room room : rooms.values()) {
            for (Session session : room.members()) {
                if (!session.isClosed()) cluster.restore(room.id(), room.capacity(), Wire.peer(session));
            }
        }
    }

    /** Hands other nodes' events to the signaling thread. */
    private static final class ClusterBridge implements ClusterEvents {
        private final SignalingService service;

        ClusterBridge(SignalingService service) {
            this.service = service;
        }

        @Override
        public void roomEvent(String origin, String room, String exceptPeer, ObjectNode event) {
            service.onLoop(() -> service.onRoomEvent(origin, room, exceptPeer, event));
        }

        @Override
        public void peerEvent(String origin, String room, String peerId, ObjectNode event) {
            service.onLoop(() -> service.onPeerEvent(origin, room, peerId, event));
        }

        @Override
        public void nodeDown(String node) {
            service.onLoop(() -> service.onNodeAway(node, true));
        }

        @Override
        public void nodeUp(String node) {
            service.onLoop(() -> service.onNodeAway(node, false));
        }

        @Override
        public void reannounce() {
            service.onLoop(service::onReannounce);
        }
    }

    private void acknowledge(SignalingSocket socket, ObjectNode message) {
        JsonNode ack = message.get("ack");
        if (ack != null && ack.isIntegralNumber() && socket.session() != null) {
            socket.session().acknowledge(ack.longValue());
        }
    }

    private void reject(SignalingSocket socket, JsonNode id, String type, SignalingException e) {
        metrics.error(e.code());
        ObjectNode error = Wire.error(id, type, e.code(), e.getMessage());
        if (e.url() != null) error.put("url", e.url());
        socket.send(Wire.write(error));
    }

    // ---- session lifecycle ----------------------------------------------------------------

    private void detachSocket(SignalingSocket socket) {
        socket.markClosed();
        if (!sockets.remove(socket)) return;
        metrics.sockets.set(sockets.size());
        Session session = socket.session();
        if (session == null || session.socket() != socket) return;
        socket.session(null);
        metrics.sessionsConnected.decrementAndGet();
        metrics.sessionsAway.incrementAndGet();
        session.detach(loop.schedule(() -> expire(session), settings.resumeGrace().toMillis(), TimeUnit.MILLISECONDS));
        ObjectNode away = Wire.message("peer-disconnected");
        away.put("peerId", session.peerId());
        broadcast(session.room(), session, away);
    }

    private void expire(Session session) {
        if (session.isClosed() || !session.isAway()) return;
        metrics.sessionsAway.decrementAndGet();
        metrics.expired();
        endSession(session, "timeout");
    }

    /** Removes the session from its room and tells the others; idempotent. */
    private void endSession(Session session, String reason) {
        if (session.isClosed()) return;
        session.markClosed();
        sessionsByToken.remove(session.resumeToken());
        Room room = session.room();
        room.remove(session);
        cluster.leave(room.id(), session.peerId());
        if (sfu != null) sfu.leave(room.id(), session.peerId());
        ObjectNode left = Wire.message("peer-left");
        left.put("peerId", session.peerId());
        left.put("reason", reason);
        broadcast(room, session, left);
        forgetIfIdle(room);
    }

    /** Drops a room with no local member and no join under way (the cluster may still hold it elsewhere). */
    private void forgetIfIdle(Room room) {
        if (room.isIdle() && rooms.get(room.id()) == room) {
            rooms.remove(room.id());
            metrics.rooms.set(rooms.size());
            cluster.vacate(room.id());
        }
    }

    /** Delivers to this node's members and, in cluster mode, publishes to the room's members elsewhere. */
    private void broadcast(Room room, Session except, ObjectNode event) {
        broadcastHere(room, except == null ? null : except.peerId(), event);
        cluster.publish(room.id(), except == null ? null : except.peerId(), event);
    }

    private void broadcastHere(Room room, String exceptPeer, ObjectNode event) {
        List<Session> targets = new ArrayList<>(room.members());
        for (Session member : targets) {
            if (!member.peerId().equals(exceptPeer)) deliver(member, event.deepCopy());
        }
    }

    private void deliver(Session target, ObjectNode event) {
        Session.Delivery delivery = target.deliver(event);
        if (delivery == Session.Delivery.OVERFLOW_AWAY) {
            // Away too long with too much traffic: it could never be resumed consistently.
            metrics.sessionsAway.decrementAndGet();
            endSession(target, "queue-overflow");
            return;
        }
        SignalingSocket socket = target.socket();
        if (socket == null) return;
        if (delivery == Session.Delivery.OVERFLOW_CONNECTED
                && target.nanosSinceProgress(System.nanoTime()) > settings.heartbeatTimeout().toNanos()) {
            // A burst from a busy room overflows the queue of a client that acknowledges (it has
            // caught up within a heartbeat timeout): it keeps its socket, and only a resume from
            // before the burst becomes impossible. A client that never acknowledges what it is
            // sent is dropped rather than fed forever.
            log.info("dropping {}: {} unacknowledged events", socket.connection().remoteAddress(), target.queuedEvents());
            dropSocket(socket, CLOSE_SLOW_CONSUMER, "events not acknowledged");
        } else if (socket.connection().queuedBytes() > settings.maxSendBufferBytes()) {
            log.info("dropping slow client {}: {} bytes queued", socket.connection().remoteAddress(),
                    socket.connection().queuedBytes());
            dropSocket(socket, CLOSE_SLOW_CONSUMER, "client reads too slowly");
        }
    }

    private void dropSocket(SignalingSocket socket, int code, String reason) {
        socket.close(code, reason);
        detachSocket(socket);
    }

    private void checkHeartbeats() {
        long now = System.nanoTime();
        long interval = settings.heartbeatInterval().toNanos();
        long timeout = settings.heartbeatTimeout().toNanos();
        for (SignalingSocket socket : new ArrayList<>(sockets)) {
            if (now - socket.lastHeardNanos() > timeout) {
                log.debug("socket {} silent for {} ms: closing", socket.connection().remoteAddress(),
                        (now - socket.lastHeardNanos()) / 1_000_000);
                dropSocket(socket, CLOSE_HEARTBEAT_TIMEOUT, "heartbeat timeout");
            } else if (now - socket.lastPingNanos() >= interval) {
                socket.pinged(now);
                ObjectNode ping = Wire.message("ping");
                ping.put("t", System.currentTimeMillis());
                socket.send(Wire.write(ping));
            }
        }
    }

    // ---- shutdown and introspection ---------------------------------------------------------

    private static ObjectNode shutdownMessage() {
        ObjectNode bye = Wire.message("shutdown");
        bye.put("reason", "server shutting down");
        return bye;
    }

    /** Tells every client the server is going away, closes their sockets, and stops the loop. */
    @Override
    public void close() {
        shuttingDown = true;
        try {
            loop.submit(() -> {
                String bye = Wire.write(shutdownMessage());
                for (SignalingSocket socket : new ArrayList<>(sockets)) {
                    socket.send(bye);
                    socket.close(1001, "server shutting down");
                }
            }).get(5, TimeUnit.SECONDS);
            // The frames are queued; give them time to reach the clients before the listener stops.
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline
                    && loop.submit(() -> sockets.stream().anyMatch(s -> s.connection().isOpen())).get(1, TimeUnit.SECONDS)) {
                Thread.sleep(20);
            }
        } catch (Exception e) {
            log.warn("signaling shutdown did not finish cleanly", e);
        }
        try {
            // What is queued (sockets that closed meanwhile) reaches the cluster before the cluster closes.
            loop.submit(() -> { }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("signaling loop did not drain before shutdown", e);
        }
        loop.shutdown();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** A consistent count of sockets, sessions and rooms, taken on the signaling thread. */
    public Snapshot snapshot() {
        try {
            return ((ExecutorService) loop).submit(() -> new Snapshot(sockets.size(), sessionsByToken.size(), rooms.size()))
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("signaling loop did not answer", e);
        }
    }

    /** Counts of live objects. */
    public record Snapshot(int sockets, int sessions, int rooms) {}

    /** Every room with its peers and their latest stats, taken on the signaling thread (admin page). */
    public List<AdminView.RoomView> adminView(java.time.Duration timeout) {
        try {
            return ((ExecutorService) loop).submit(() -> AdminView.of(rooms.values())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the signaling loop", e);
        } catch (Exception e) {
            throw new IllegalStateException("signaling loop did not answer", e);
        }
    }

    private String newRoomId() {
        String id;
        do {
            id = randomId(16);
        } while (rooms.containsKey(id));
        return id;
    }

    /** {@code bytes} random bytes, base64url without padding: 16 bytes give 128 unguessable bits. */
    private String randomId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
