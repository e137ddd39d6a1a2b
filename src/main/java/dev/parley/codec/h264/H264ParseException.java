package dev.parley.codec.h264;

/**
 * Thrown when bytes are not a well-formed H.264 RTP payload (RFC 6184 §5).
 *
 * <p>Unchecked and without a stack trace: the SFU drops and counts such packets on its event
 * loop. The message never carries payload bytes.
 */
public final class H264ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public H264ParseException(String message) {
        super(message, null, false, false);
    }
}
