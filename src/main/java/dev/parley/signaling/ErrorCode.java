package dev.parley.signaling;

import java.util.Locale;

/** Stable error codes of the signaling protocol; {@code docs/protocol.md} lists each one. */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    BAD_JSON("the message is not valid JSON"),
    /** Valid JSON but not a valid message: not an object, missing or ill-typed field. */
    BAD_MESSAGE("the message is missing a field or has a field of the wrong type"),
    /** {@code type} names no message this server knows. */
    UNKNOWN_TYPE("unknown message type"),
    /** The frame is larger than the configured limit. */
    TOO_LARGE("the message is larger than the server accepts"),
    /** The connection sends faster than its rate limit; the message was dropped. */
    RATE_LIMITED("too many messages; this one was dropped"),
    /** The message needs a joined room, and this connection has not joined one. */
    NOT_JOINED("join a room first"),
    /** The connection has already joined a room (leave first). */
    ALREADY_JOINED("this connection is already in a room"),
    /** The target peer is not in the sender's room. */
    UNKNOWN_PEER("no such peer in this room"),
    /** The room has reached its capacity. */
    ROOM_FULL("the room is full"),
    /** The resume token is unknown, expired, or the queued events no longer cover the gap. */
    RESUME_FAILED("the session cannot be resumed; join again"),
    /** An SDP offer or answer for the SFU could not be used; the message names the problem. */
    BAD_SDP("the session description cannot be used"),
    /** An answer to an SFU offer that is no longer current (a newer offer was sent). */
    STALE_ANSWER("this answer is for an older offer"),
    /** Cluster mode: the room's media lives on another node; the error carries that node's {@code url}. */
    REDIRECT("this room is served by another node; reconnect to the given url"),
    /** Cluster mode: the shared store (Redis) cannot be reached; try again. */
    CLUSTER_UNAVAILABLE("the cluster store is unreachable; try again shortly"),
    /** The server is shutting down and takes no new work. */
    SHUTTING_DOWN("the server is shutting down"),
    /** The server requires a join token ({@code --api-key}/{@code --api-secret}) and the join carried none. */
    TOKEN_REQUIRED("this server admits only joins with a token"),
    /** The token is malformed, not HS256, signed with another secret or for another API key. */
    TOKEN_INVALID("the token is not valid"),
    /** The token's {@code exp} has passed. */
    TOKEN_EXPIRED("the token has expired"),
    /** The token's {@code nbf} lies in the future. */
    TOKEN_NOT_YET_VALID("the token is not valid yet"),
    /** The token grants another room than the one asked for. */
    TOKEN_ROOM_MISMATCH("the token is for another room"),
    /** The token's grant lacks the right for this request (roomJoin, roomCreate, canPublish, canSubscribe). */
    FORBIDDEN("the token does not allow this"),
    /** An unexpected failure on the server; the message was not processed. */
    INTERNAL("internal server error");

    private final String defaultMessage;

    ErrorCode(String defaultMessage) {
        this.defaultMessage = defaultMessage;
    }

    /** The code as it appears on the wire, e.g. {@code room-full}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
