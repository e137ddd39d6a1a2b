package dev.parley.rtc.srtp;

/**
 * Why unprotect refused a packet. {@link SrtpSession} returns these as negative codes so the
 * event loop can count them per kind without allocating; {@link #fromCode} maps back.
 */
public enum SrtpFailure {
    /** Too short, wrong version, or a header that runs past the packet. */
    MALFORMED(-1),
    /** The authentication tag did not verify (RFC 3711 §3.3 step 5, RFC 7714 §10). */
    AUTH_FAILED(-2),
    /** Index already seen within the replay window (RFC 3711 §3.3.2). */
    REPLAYED(-3),
    /** Index older than the replay window can judge (RFC 3711 §3.3.2). */
    TOO_OLD(-4),
    /** The session already tracks its limit of SSRCs; a new one is refused. */
    TOO_MANY_SSRCS(-5);

    private final int code;

    SrtpFailure(int code) {
        this.code = code;
    }

    /** Negative value returned by unprotect for this failure. */
    public int code() {
        return code;
    }

    /** True for the two replay-protection outcomes. */
    public boolean isReplay() {
        return this == REPLAYED || this == TOO_OLD;
    }

    /** The failure a negative unprotect result stands for. */
    public static SrtpFailure fromCode(int code) {
        return switch (code) {
            case -1 -> MALFORMED;
            case -2 -> AUTH_FAILED;
            case -3 -> REPLAYED;
            case -4 -> TOO_OLD;
            case -5 -> TOO_MANY_SSRCS;
            default -> throw new IllegalArgumentException("not a failure code: " + code);
        };
    }
}
