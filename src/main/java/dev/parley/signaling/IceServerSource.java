package dev.parley.signaling;

import java.util.List;

/**
 * The ICE servers a peer gets on join and resume: static ones from configuration and, with the
 * built-in TURN server, credentials minted for that peer (TURN REST API scheme).
 */
@FunctionalInterface
public interface IceServerSource {
    List<IceServer> forPeer(String peerId);
}
