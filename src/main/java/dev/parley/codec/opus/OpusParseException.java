package dev.parley.codec.opus;

/**
 * Thrown when bytes are not a well-formed Opus packet (RFC 6716 §3) or audio-level extension (RFC 6464).
 *
 * <p>Unchecked and without a stack trace: the SFU drops and counts such packets on its event
 * loop. The message never carries payload bytes.
 */
public final class OpusParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OpusParseException(String message) {
        super(message, null, false, false);
    }
}
