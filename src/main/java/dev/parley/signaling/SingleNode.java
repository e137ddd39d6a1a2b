package dev.parley.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One Parley process without Redis: rooms exist only in this process, so there is nothing to share. */
final class SingleNode implements Cluster {
    static final SingleNode INSTANCE = new SingleNode();
    private static final CompletableFuture<String> HERE = CompletableFuture.completedFuture(null);

    private SingleNode() {}

    @Override
    public void start(ClusterEvents events) {}

    @Override
    public CompletableFuture<Admission> admit(String room, int capacity, ObjectNode peer) {
        // The service already checked the local room's capacity.
        return CompletableFuture.completedFuture(new Admission(capacity, List.of()));
    }

    @Override
    public void restore(String room, int capacity, ObjectNode peer) {}

    @Override
    public void leave(String room, String peerId) {}

    @Override
    public void vacate(String room) {}

    @Override
    public void publish(String room, String exceptPeer, ObjectNode event) {}

    @Override
    public void send(String node, String room, String peerId, ObjectNode event) {}

    @Override
    public CompletableFuture<String> placeSfu(String room) {
        return HERE;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public void close() {}
}
