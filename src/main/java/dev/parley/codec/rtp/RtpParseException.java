package dev.parley.codec.rtp;

/**
 * Thrown when bytes are not a well-formed RTP packet (RFC 3550 §5.1, RFC 8285).
 *
 * <p>Unchecked and without a stack trace: the SFU drops and counts malformed packets on its
 * event loop, so a throw must be cheap and must never carry attacker-controlled payload bytes.
 */
public final class RtpParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RtpParseException(String message) {
        super(message, null, false, false);
    }
}
