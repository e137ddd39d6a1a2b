package dev.parley.sfu;

/** What the SFU tells the signaling layer; called on the media loop, must not block. */
public interface SfuEvents {
    /** Send this offer for the peer's subscribe connection (server-initiated renegotiation). */
    void subscriberOffer(String room, String peerId, String sdp, long version);

    /** The peer's media transports closed on their own (consent lost, DTLS alert). */
    default void mediaClosed(String room, String peerId, String reason) {
    }

    /** The room's dominant speaker changed (also repeated when someone joins the room's media). */
    default void dominantSpeaker(String room, String peerId) {
    }

    /** Which of the peer's subscribed video tracks the SFU forwards now and which it paused (last-N, constraints, bitrate). */
    default void forwarding(String room, String peerId, java.util.List<String> forwarded, java.util.List<String> paused) {
    }
}
