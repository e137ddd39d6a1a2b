package dev.parley.sfu;

/** A media request the SFU cannot serve (bad SDP, stale answer); the message says why. */
public final class SfuException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, in the words of the signaling protocol's error codes. */
    public enum Reason { BAD_SDP, STALE_ANSWER, NOT_JOINED }

    private final Reason reason;

    SfuException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
