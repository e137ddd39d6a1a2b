package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode on Redis: room membership in Redis hashes (seats granted atomically by
 * {@link ClusterScripts}), room events on one pub/sub channel per room, relays to a peer on one
 * channel per node, node liveness by expiring keys. Redis answers on Lettuce's Netty threads;
 * everything for sessions goes to {@link ClusterEvents}, which posts it onto the signaling thread.
 * Heartbeats and the clean-up of gone nodes run on this class's own timer thread.
 */
public final class RedisCluster implements Cluster {
    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    private static final String NODES = "parley:nodes";
    private static final String ROOM_CHANNEL = BusMessage.ROOM_CHANNEL;
    private static final String NODE_CHANNEL = BusMessage.NODE_CHANNEL;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final ClusterSettings settings;
    private final String nodeId;
    private final String displayUri;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisAsyncCommands<String, String> redis;
    private final ScheduledExecutorService timer;
    /** Rooms whose SFU media this node holds; refreshed with each heartbeat. */
    private final Set<String> sfuRooms = ConcurrentHashMap.newKeySet();
    /** Gone nodes → when this node first noticed (nanoTime); touched only on the timer thread. */
    private final Map<String, Long> goneSince = new HashMap<>();
    private final AtomicInteger liveNodes = new AtomicInteger();
    private final Counter busIn;
    private final Counter busOut;
    private final Counter busDropped;
    private final Counter redisErrors;
    private volatile ClusterEvents events;
    private volatile String nodeUrl;
    /** Base URLs of the nodes alive at the last heartbeat, this one included (a snapshot, replaced whole). */
    private volatile Set<String> nodeUrls = Set.of();
    private final java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean(true);
    /** Set after the first heartbeat (timer thread): a later heartbeat that finds no key means the registration was lost. */
    private boolean registered;

    private RedisCluster(ClusterSettings settings, RedisClient client, StatefulRedisConnection<String, String> connection,
            StatefulRedisPubSubConnection<String, String> pubsub, String displayUri, MeterRegistry registry) {
        this.settings = settings;
        this.client = client;
        this.connection = connection;
        this.pubsub = pubsub;
        this.redis = connection.async();
        this.displayUri = displayUri;
        byte[] id = new byte[9];
        new SecureRandom().nextBytes(id);
        this.nodeId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster");
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("parley.cluster.nodes", liveNodes, AtomicInteger::get)
                .description("nodes with a live registration in Redis, this one included").register(registry);
        busIn = Counter.builder("parley.cluster.bus.messages").tag("direction", "in")
                .description("messages on the Redis bus, from other nodes or to them").register(registry);
        busOut = Counter.builder("parley.cluster.bus.messages").tag("direction", "out")
                .description("messages on the Redis bus, from other nodes or to them").register(registry);
        busDropped = Counter.builder("parley.cluster.bus.dropped")
                .description("bus messages that could not be read, dropped").register(registry);
        redisErrors = Counter.builder("parley.cluster.redis.errors")
                .description("Redis commands that failed (unreachable, timeout, script error)").register(registry);
        client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> handler) {
                if (!timer.isShutdown()) lost("connection closed");
            }
        });
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onBusMessage(channel, message);
            }
        });
    }

    /**
     * Connects to Redis or fails with an exception that says which Redis could not be reached and why.
     * The node takes part in the cluster from {@link #register} on.
     */
    public static RedisCluster connect(ClusterSettings settings, MeterRegistry registry) {
        RedisURI uri;
        try {
            uri = RedisURI.create(settings.redisUri());
        } catch (RuntimeException e) {
            // not e.getMessage(): it may quote the password
            throw new IllegalStateException("cannot read the Redis URL (expected redis://[user:password@]host:port[/db])", e);
        }
        String display = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away, fail at once instead of queueing: joins get cluster-unavailable.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub();
            connection.sync().ping();
            return new RedisCluster(settings, client, connection, pubsub, display, registry);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot reach Redis at " + display + ": " + cause.getMessage(), e);
        }
    }

    /** This node's id in Redis (random per start). */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The base URLs of the nodes alive at the last heartbeat, this one included: a page served by any
     * of them may be redirected to this node's socket (the WebSocket Origin check). Never waits on Redis.
     */
    public Set<String> nodeUrls() {
        return nodeUrls;
    }

    /** Announces this node with its base URL and starts heartbeats; call once the HTTP listener is up. */
    public void register(String url) {
        this.nodeUrl = url;
        pubsub.sync().subscribe(NODE_CHANNEL + nodeId);
        heartbeat().join();
        long every = settings.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (RuntimeException e) { // a scheduled task that throws is never run again: keep beating
                redisErrors.increment();
                log.warn("cluster heartbeat failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        log.info("cluster node {} ({}) registered in Redis at {}", nodeId, url, displayUri);
    }

    @Override
    public void start(ClusterEvents events) {
        this.events = events;
    }

    // ---- membership (called on the signaling thread) -------------------------------------------

    @Override
    public CompletableFuture<Admission> admit(String room, int capacity, ObjectNode peer) {
        ObjectNode entry = Wire.JSON.createObjectNode();
        entry.put("node", nodeId);
        entry.set("peer", peer);
        String[] keys = {peersKey(room), capacityKey(room), sfuKey(room), nodeRoomsKey(nodeId)};
        String text = Wire.write(entry);
        // Subscribe first: whatever happens in the room after the seat is granted reaches this node.
        return pubsub.async().subscribe(ROOM_CHANNEL + room).toCompletableFuture()
                .thenCompose(v -> this.<List<Object>>script(ClusterScripts.ADMIT, ScriptOutputType.MULTI, keys,
                        peer.path("id").asText(), text, Integer.toString(capacity), nodeId, room))
                .whenComplete((reply, failure) -> countFailure(failure))
                .thenApply(reply -> admission(room, reply))
                .exceptionally(RedisCluster::unavailable);
    }

    /**
     * Runs a {@link ClusterScripts} script by its SHA-1 (EVALSHA), sending the text (EVAL, which
     * caches it) only when Redis does not know it yet: after a start or a Redis restart.
     */
    private <T> CompletableFuture<T> script(String script, ScriptOutputType type, String[] keys, String... args) {
        String sha = SCRIPT_SHAS.computeIfAbsent(script, RedisCluster::sha1);
        return redis.<T>evalsha(sha, type, keys, args).toCompletableFuture().exceptionallyCompose(failure -> {
            Throwable cause = Failures.cause(failure);
            return cause instanceof io.lettuce.core.RedisNoScriptException
                    ? redis.<T>eval(script, type, keys, args).toCompletableFuture() : CompletableFuture.failedFuture(cause);
        });
    }

    private static final Map<String, String> SCRIPT_SHAS = new ConcurrentHashMap<>();

    private static String sha1(String script) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JRE", e);
        }
    }

    /** A Redis failure becomes {@code cluster-unavailable} for the client; coded refusals pass through. */
    private static <T> T unavailable(Throwable failure) {
        Throwable cause = Failures.cause(failure);
        if (cause instanceof SignalingException) throw new CompletionException(cause);
        throw new CompletionException(new SignalingException(ErrorCode.CLUSTER_UNAVAILABLE)); // details stay in the log
    }

    private Admission admission(String room, List<Object> reply) {
        String outcome = String.valueOf(reply.get(0));
        switch (outcome) {
            case "redirect" -> throw new CompletionException(new SignalingException(ErrorCode.REDIRECT,
                    "room " + room + " is served by " + reply.get(1) + "; reconnect there and join again", String.valueOf(reply.get(1))));
            case "full" -> throw new CompletionException(new SignalingException(ErrorCode.ROOM_FULL,
                    "room " + room + " is full (capacity " + reply.get(1) + ")"));
            default -> { }
        }
        int capacity = Integer.parseInt(String.valueOf(reply.get(1)));
        List<RemotePeer> peers = new ArrayList<>();
        for (Object member : reply.subList(2, reply.size())) {
            try {
                JsonNode entry = Wire.JSON.readTree(String.valueOf(member));
                String node = entry.path("node").asText();
                if (!node.equals(nodeId) && entry.get("peer") instanceof ObjectNode p && p.path("id").isTextual()) {
                    peers.add(new RemotePeer(node, p));
                }
            } catch (Exception e) {
                busDropped.increment();
            }
        }
        return new Admission(capacity, peers);
    }

    @Override
    public void restore(String room, int capacity, ObjectNode peer) {
        ObjectNode entry = Wire.JSON.createObjectNode();
        entry.put("node", nodeId);
        entry.set("peer", peer);
        String[] keys = {peersKey(room), capacityKey(room), nodeRoomsKey(nodeId)};
        this.<Long>script(ClusterScripts.RESTORE, ScriptOutputType.INTEGER, keys, peer.path("id").asText(), Wire.write(entry),
                Integer.toString(capacity), room).whenComplete((added, failure) -> {
                    if (countFailure(failure) || added == null || added == 0) return;
                    ObjectNode joined = Wire.message("peer-joined");
                    joined.set("peer", peer);
                    publish(room, peer.path("id").asText(), joined);
                });
    }

    @Override
    public void leave(String room, String peerId) {
        this.<Long>script(ClusterScripts.LEAVE, ScriptOutputType.INTEGER, new String[] {peersKey(room), capacityKey(room)}, peerId)
                .whenComplete((v, failure) -> countFailure(failure));
    }

    @Override
    public void vacate(String room) {
        pubsub.async().unsubscribe(ROOM_CHANNEL + room).whenComplete((v, failure) -> countFailure(failure));
        redis.srem(nodeRoomsKey(nodeId), room).whenComplete((v, failure) -> countFailure(failure));
        if (sfuRooms.remove(room)) {
            this.<Long>script(ClusterScripts.RELEASE_SFU, ScriptOutputType.INTEGER, new String[] {sfuKey(room)}, nodeId)
                    .whenComplete((v, failure) -> countFailure(failure));
        }
    }

    @Override
    public CompletableFuture<String> placeSfu(String room) {
        if (sfuRooms.contains(room)) return CompletableFuture.completedFuture(null);
        return placement(room).whenComplete((v, failure) -> countFailure(failure)).exceptionally(RedisCluster::unavailable);
    }

    private CompletableFuture<String> placement(String room) {
        return this.<List<Object>>script(ClusterScripts.PLACE_SFU, ScriptOutputType.MULTI, new String[] {sfuKey(room)},
                nodeId, Long.toString(settings.nodeTimeout().toMillis())).thenApply(reply -> {
                    if (String.valueOf(reply.get(0)).equals("redirect")) {
                        sfuRooms.remove(room);
                        return String.valueOf(reply.get(1));
                    }
                    sfuRooms.add(room);
                    return null;
                });
    }

    // ---- the bus ------------------------------------------------------------------------------

    @Override
    public void publish(String room, String exceptPeer, ObjectNode event) {
        publishing(room, exceptPeer, event);
    }

    private CompletableFuture<Long> publishing(String room, String exceptPeer, ObjectNode event) {
        ObjectNode envelope = Wire.JSON.createObjectNode();
        envelope.put("node", nodeId);
        if (exceptPeer != null) envelope.put("except", exceptPeer);
        envelope.set("event", event);
        return post(ROOM_CHANNEL + room, Wire.write(envelope));
    }

    @Override
    public void send(String node, String room, String peerId, ObjectNode event) {
        ObjectNode envelope = Wire.JSON.createObjectNode();
        envelope.put("node", nodeId); // the receiver checks that the sender is a member on this node
        envelope.put("room", room);
        envelope.put("to", peerId);
        envelope.set("event", event);
        post(NODE_CHANNEL + node, Wire.write(envelope));
    }

    private CompletableFuture<Long> post(String channel, String text) {
        busOut.increment();
        return redis.publish(channel, text).toCompletableFuture().whenComplete((v, failure) -> countFailure(failure));
    }

    /** A bus message (Lettuce thread). Anything unreadable is counted and dropped. */
    private void onBusMessage(String channel, String text) {
        ClusterEvents target = events;
        if (target == null) return;
        BusMessage message = BusMessage.parse(channel, text);
        if (message == null) {
            busDropped.increment();
        } else if (!message.isRoomEvent()) {
            busIn.increment();
            target.peerEvent(message.origin(), message.room(), message.peer(), message.event());
        } else if (!message.origin().equals(nodeId)) { // our own publications were delivered here already
            busIn.increment();
            target.roomEvent(message.origin(), message.room(), message.peer(), message.event());
        }
    }

    // ---- liveness (timer thread) --------------------------------------------------------------

    private CompletableFuture<Void> heartbeat() {
        return this.<List<Object>>script(ClusterScripts.HEARTBEAT, ScriptOutputType.MULTI, new String[] {NODES, nodeKey(nodeId)},
                nodeId, nodeUrl, Long.toString(settings.nodeTimeout().toMillis()))
                .handleAsync((reply, failure) -> {
                    if (failure != null) {
                        redisErrors.increment();
                        lost(rootMessage(failure));
                        return null;
                    }
                    if (ready.compareAndSet(false, true)) log.info("Redis at {} answers again: ready", displayUri);
                    Set<String> alive = Set.of(String.valueOf(reply.get(0)).split(","));
                    refreshNodeUrls(alive);
                    if ("0".equals(String.valueOf(reply.get(1))) && registered) {
                        log.info("this node's registration had expired (Redis restarted or was away): restoring its peers' seats");
                        events.reannounce();
                    }
                    registered = true;
                    Set<String> gone = new HashSet<>();
                    for (Object node : reply.subList(2, reply.size())) gone.add(String.valueOf(node));
                    gone.remove(nodeId);
                    noticeGone(gone, alive);
                    for (String room : List.copyOf(sfuRooms)) refreshSfu(room);
                    return null;
                }, timer);
    }

    /** Reads the live nodes' URLs, then counts the nodes: whoever sees the count sees their URLs too. */
    private void refreshNodeUrls(Set<String> alive) {
        redis.mget(alive.stream().map(RedisCluster::nodeKey).toArray(String[]::new)).whenComplete((values, failure) -> {
            if (!countFailure(failure)) {
                Set<String> urls = new HashSet<>();
                for (var value : values) if (value.hasValue()) urls.add(value.getValue());
                if (nodeUrl != null) urls.add(nodeUrl);
                nodeUrls = Set.copyOf(urls);
            }
            liveNodes.set(alive.size());
        });
    }

    /**
     * Extends a placement this node holds; never adds to {@link #sfuRooms} (vacate may have removed the
     * room since the copy was taken). A placement found gone is forgotten, so the next sfu-join places it again.
     */
    private void refreshSfu(String room) {
        this.<Long>script(ClusterScripts.REFRESH_SFU, ScriptOutputType.INTEGER, new String[] {sfuKey(room)},
                nodeId, Long.toString(settings.nodeTimeout().toMillis())).whenComplete((extended, failure) -> {
                    if (!countFailure(failure) && extended != null && extended == 0) sfuRooms.remove(room);
                });
    }

    private void noticeGone(Set<String> gone, Set<String> alive) {
        for (String node : List.copyOf(goneSince.keySet())) {
            if (gone.contains(node)) continue;
            goneSince.remove(node);
            if (alive.contains(node)) { // else another node removed it and its peers already
                log.info("cluster node {} sends heartbeats again", node);
                events.nodeUp(node);
            }
        }
        long now = System.nanoTime();
        for (String node : gone) {
            Long since = goneSince.putIfAbsent(node, now);
            if (since == null) {
                log.info("cluster node {} stopped sending heartbeats; its peers leave in {} ms", node, settings.removeAfter().toMillis());
                events.nodeDown(node);
            } else if (now - since >= settings.removeAfter().toNanos()) {
                reap(node);
            }
        }
    }

    /** Removes a gone node's peers; every seat removed is reported once, by the node whose script removed it. */
    private void reap(String node) {
        this.<List<Object>>script(ClusterScripts.REAP, ScriptOutputType.MULTI, new String[] {NODES}, node, "0")
                .whenCompleteAsync((removed, failure) -> {
                    if (countFailure(failure)) return;
                    goneSince.remove(node);
                    for (int i = 0; i + 1 < removed.size(); i += 2) {
                        String room = String.valueOf(removed.get(i));
                        ObjectNode left = Wire.message("peer-left");
                        left.put("peerId", String.valueOf(removed.get(i + 1)));
                        left.put("reason", "node-lost");
                        publish(room, null, left);
                        events.roomEvent(node, room, null, left);
                    }
                    if (!removed.isEmpty()) log.info("removed {} peers of gone node {}", removed.size() / 2, node);
                }, timer);
    }

    /** Counts a failed command; true if it failed. */
    private boolean countFailure(Throwable failure) {
        if (failure == null) return false;
        Throwable cause = Failures.cause(failure);
        if (cause instanceof SignalingException) return true;
        redisErrors.increment();
        // A refused command (a script error) is a bug worth a warning; outages are logged once by the heartbeat.
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException) log.warn("Redis refused a command: {}", cause.getMessage());
        else log.debug("Redis command failed: {}", rootMessage(cause));
        return true;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private void lost(String why) {
        if (ready.compareAndSet(true, false)) log.warn("lost Redis at {} ({}): not ready until it answers again", displayUri, why);
    }

    @Override
    public boolean ready() {
        return ready.get() && connection.isOpen() && pubsub.isOpen();
    }

    /**
     * Gives up SFU placements, removes this node's seats and tells the rooms ({@code peer-left},
     * reason {@code node-stopped}: the seats are free at once, not after the resume grace), then
     * unregisters and disconnects.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // a heartbeat under way would register this node again after the clean-up below
            if (!timer.awaitTermination(2, TimeUnit.SECONDS)) log.warn("cluster timer did not stop");
            for (String room : sfuRooms) {
                this.<Long>script(ClusterScripts.RELEASE_SFU, ScriptOutputType.INTEGER, new String[] {sfuKey(room)}, nodeId)
                        .get(2, TimeUnit.SECONDS);
            }
            List<Object> removed = this.<List<Object>>script(ClusterScripts.REAP, ScriptOutputType.MULTI, new String[] {NODES},
                    nodeId, "1").get(2, TimeUnit.SECONDS);
            List<CompletableFuture<Long>> told = new ArrayList<>();
            for (int i = 0; i + 1 < removed.size(); i += 2) {
                ObjectNode left = Wire.message("peer-left");
                left.put("peerId", String.valueOf(removed.get(i + 1)));
                left.put("reason", "node-stopped");
                told.add(publishing(String.valueOf(removed.get(i)), null, left));
            }
            CompletableFuture.allOf(told.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            redis.del(nodeKey(nodeId)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("could not unregister from Redis: {}", rootMessage(e));
        }
        pubsub.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static String nodeKey(String node) {
        return "parley:node:" + node;
    }

    private static String nodeRoomsKey(String node) {
        return "parley:node:" + node + ":rooms";
    }

    private static String peersKey(String room) {
        return "parley:room:" + room + ":peers";
    }

    private static String capacityKey(String room) {
        return "parley:room:" + room + ":capacity";
    }

    private static String sfuKey(String room) {
        return "parley:sfu:" + room;
    }
}
