package dev.parley.codec.rtcp;

/**
 * Thrown when bytes are not well-formed RTCP (RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3).
 *
 * <p>Unchecked and without a stack trace so that dropping a bad packet on the event loop is
 * cheap; the message never contains packet bytes.
 */
public final class RtcpParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RtcpParseException(String message) {
        super(message, null, false, false);
    }
}
