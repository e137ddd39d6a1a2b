package dev.parley.signaling.auth;

import java.time.Instant;

/**
 * The claims of a join token, named as in LiveKit access tokens so an operator's existing token
 * code fits: {@code sub} (identity), {@code name}, {@code nbf}, {@code exp} and the {@code video}
 * grant object ({@code room}, {@code roomJoin}, {@code roomCreate}, {@code canPublish},
 * {@code canSubscribe}). The issuer ({@code iss}) is the API key that signs it.
 *
 * @param identity     who joins ({@code sub}); unique per user in the operator's system
 * @param name         display name ({@code name}); null means the identity is shown
 * @param room         the one room this token admits to ({@code video.room}); null for none
 * @param roomJoin     may join {@code room}
 * @param roomCreate   may create a new room with a server-made id (a join without a room id)
 * @param canPublish   may send media to the SFU ({@code sfu-publish}); LiveKit's default is true
 * @param canSubscribe may receive media from the SFU ({@code sfu-join}, subscribe offers); default true
 * @param notBefore    {@code nbf}, or null
 * @param expires      {@code exp}; always present (a token without one would never expire)
 */
public record JoinToken(String identity, String name, String room, boolean roomJoin, boolean roomCreate,
        boolean canPublish, boolean canSubscribe, Instant notBefore, Instant expires) {

    /** Longest {@code sub} accepted; ids in signaling are at most 64 characters, identities a bit more. */
    public static final int MAX_IDENTITY = 128;
    /** Longest {@code name}, as the {@code name} field of {@code join}. */
    public static final int MAX_NAME = 64;

    public JoinToken {
        if (identity == null || identity.isEmpty() || identity.length() > MAX_IDENTITY) {
            throw new IllegalArgumentException("identity must be 1-" + MAX_IDENTITY + " characters");
        }
        if (name != null && name.length() > MAX_NAME) throw new IllegalArgumentException("name is longer than " + MAX_NAME);
        if (expires == null) throw new IllegalArgumentException("a token needs an expiry");
    }

    /** A token for one room with every right but creating new rooms, valid from {@code now} for {@code ttl}. */
    public static JoinToken forRoom(String identity, String name, String room, Instant now, java.time.Duration ttl) {
        return new JoinToken(identity, name, room, true, false, true, true, now, now.plus(ttl));
    }

    /** The name to show: {@code name}, or the identity when the token has none. */
    public String displayName() {
        return name == null || name.isBlank() ? identity : name.strip();
    }

    public JoinToken withPublish(boolean allowed) {
        return new JoinToken(identity, name, room, roomJoin, roomCreate, allowed, canSubscribe, notBefore, expires);
    }

    public JoinToken withSubscribe(boolean allowed) {
        return new JoinToken(identity, name, room, roomJoin, roomCreate, canPublish, allowed, notBefore, expires);
    }

    public JoinToken withRoomCreate(boolean allowed) {
        return new JoinToken(identity, name, room, roomJoin, allowed, canPublish, canSubscribe, notBefore, expires);
    }
}
