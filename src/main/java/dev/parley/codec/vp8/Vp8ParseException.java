package dev.parley.codec.vp8;

/**
 * Thrown when bytes are not a well-formed VP8 RTP payload (RFC 7741 §4).
 *
 * <p>Unchecked and without a stack trace: the SFU drops and counts such packets on its event
 * loop. The message never carries payload bytes.
 */
public final class Vp8ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Vp8ParseException(String message) {
        super(message, null, false, false);
    }
}
