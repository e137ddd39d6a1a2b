package dev.parley.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where room membership lives and how events reach peers on other nodes: this process only
 * ({@link #singleNode()}) or shared through Redis ({@link RedisCluster}). {@link SignalingService}
 * calls it on its signaling thread; an implementation hands other nodes' events back through
 * {@link ClusterEvents}, from any thread.
 */
public interface Cluster extends AutoCloseable {

    /** The single-process cluster: every room and peer is here, nothing leaves the process. */
    static Cluster singleNode() {
        return SingleNode.INSTANCE;
    }

    /** Called once by the signaling service before any other method. */
    void start(ClusterEvents events);

    /**
     * Takes a seat for {@code peer} ({@code {id,name,meta,away}}) in {@code room}, creating it with
     * {@code capacity} if it does not exist anywhere. Fails with a {@link SignalingException}
     * ({@code room-full}, {@code redirect}, {@code cluster-unavailable}).
     */
    CompletableFuture<Admission> admit(String room, int capacity, ObjectNode peer);

    /**
     * Puts back the seat of a peer this node still serves, after the cluster lost it (see
     * {@link ClusterEvents#reannounce}); the room's other nodes get {@code peer-joined} if it was gone.
     */
    void restore(String room, int capacity, ObjectNode peer);

    /** Gives up the seat of {@code peerId}; idempotent. */
    void leave(String room, String peerId);

    /** This node has no member in {@code room} any more. */
    void vacate(String room);

    /** Sends {@code event} to the room's members on other nodes (all but {@code exceptPeer}). */
    void publish(String room, String exceptPeer, ObjectNode event);

    /** Sends {@code event} to one peer that lives on {@code node}. */
    void send(String node, String room, String peerId, ObjectNode event);

    /**
     * Places the room's SFU media on this node if no other live node has it; completes with null
     * when the media is here, or with the base URL of the node that owns it.
     */
    CompletableFuture<String> placeSfu(String room);

    /** False while the shared store is unreachable (readiness). */
    boolean ready();

    @Override
    void close();

    /** The outcome of {@link #admit}: the room's capacity and who is in it on other nodes. */
    record Admission(int capacity, List<RemotePeer> peers) {}

    /** A room member connected to another node; {@code peer} is its wire form {@code {id,name,meta,away}}. */
    record RemotePeer(String node, ObjectNode peer) {
        String id() {
            return peer.path("id").asText();
        }
    }
}
