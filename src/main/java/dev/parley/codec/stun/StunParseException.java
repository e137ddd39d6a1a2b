package dev.parley.codec.stun;

/** The one exception the STUN codec throws for bytes that are not a valid STUN message or attribute. */
public final class StunParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunParseException(String message) {
        super(message, null, false, false);
    }
}
