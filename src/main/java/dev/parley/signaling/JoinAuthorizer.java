package dev.parley.signaling;

import dev.parley.signaling.auth.JoinToken;
import dev.parley.signaling.auth.TokenException;
import dev.parley.signaling.auth.TokenVerifier;

/**
 * Decides who may join which room. In dev mode (no API key) anyone may join any room under the
 * name they give. With an API key every {@code join} needs a token whose grant covers the room:
 * identity and display name then come from the token, and its media rights stay with the session.
 */
final class JoinAuthorizer {
    /** Dev mode: no tokens. */
    static final JoinAuthorizer OPEN = new JoinAuthorizer(null);

    private final TokenVerifier verifier;

    JoinAuthorizer(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** What a join may do: the room to enter (null: a new one), who it is, its media rights. */
    record Admission(String room, String identity, String name, boolean canPublish, boolean canSubscribe) {}

    /**
     * Admits a join asking for {@code requestedRoom} (null: none named) under {@code requestedName}
     * with the token {@code jwt} (null: none given).
     */
    Admission admit(String jwt, String requestedRoom, String requestedName) throws SignalingException {
        if (verifier == null) return new Admission(requestedRoom, null, requestedName, true, true);
        if (jwt == null) throw new SignalingException(ErrorCode.TOKEN_REQUIRED);
        JoinToken token;
        try {
            token = verifier.verify(jwt);
        } catch (TokenException e) {
            ErrorCode code = switch (e.reason()) {
                case INVALID -> ErrorCode.TOKEN_INVALID;
                case EXPIRED -> ErrorCode.TOKEN_EXPIRED;
                case NOT_YET_VALID -> ErrorCode.TOKEN_NOT_YET_VALID;
            };
            throw new SignalingException(code, e.getMessage());
        }
        String room;
        if (token.room() == null) {
            if (requestedRoom != null) {
                throw new SignalingException(ErrorCode.TOKEN_ROOM_MISMATCH,
                        "the token names no room, so it cannot join room " + requestedRoom);
            }
            if (!token.roomCreate()) throw new SignalingException(ErrorCode.FORBIDDEN, "the token does not allow creating a room (roomCreate)");
            room = null;
        } else {
            if (requestedRoom != null && !requestedRoom.equals(token.room())) {
                throw new SignalingException(ErrorCode.TOKEN_ROOM_MISMATCH,
                        "the token is for room " + token.room() + ", not " + requestedRoom);
            }
            if (!token.roomJoin()) throw new SignalingException(ErrorCode.FORBIDDEN, "the token does not allow joining (roomJoin)");
            room = token.room();
        }
        return new Admission(room, token.identity(), token.displayName(), token.canPublish(), token.canSubscribe());
    }
}
