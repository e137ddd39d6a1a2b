package dev.parley.codec.sdp;

/**
 * Thrown when text is not a well-formed SDP description (RFC 8866) or one of the WebRTC
 * attributes this package models has a bad value. The message names the line number.
 */
public final class SdpParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SdpParseException(String message) {
        super(message, null, false, false);
    }
}
