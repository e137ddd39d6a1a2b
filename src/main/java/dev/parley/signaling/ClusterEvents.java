package dev.parley.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What other nodes tell this one; called from any thread, handled on the signaling thread. */
public interface ClusterEvents {
    /** A room event from node {@code origin}, for this node's members of {@code room} except {@code exceptPeer}. */
    void roomEvent(String origin, String room, String exceptPeer, ObjectNode event);

    /** A relay from node {@code origin} for one peer of this node. */
    void peerEvent(String origin, String room, String peerId, ObjectNode event);

    /** Node {@code node} stopped sending heartbeats: its peers are away until they are removed. */
    void nodeDown(String node);

    /** Node {@code node} sends heartbeats again before its peers were removed: they are back. */
    void nodeUp(String node);

    /** This node's registration was lost (Redis restarted or was away too long): restore every local seat. */
    void reannounce();
}
