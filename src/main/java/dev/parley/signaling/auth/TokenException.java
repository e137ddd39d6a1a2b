package dev.parley.signaling.auth;

/** A join token that cannot be accepted; {@link #reason()} says which way it failed. */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Not a well-formed HS256 JWS, a wrong signature or issuer, or a claim of the wrong type. */
        INVALID,
        /** {@code exp} lies in the past (beyond the leeway). */
        EXPIRED,
        /** {@code nbf} lies in the future (beyond the leeway). */
        NOT_YET_VALID
    }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
