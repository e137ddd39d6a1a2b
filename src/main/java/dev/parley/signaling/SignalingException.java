package dev.parley.signaling;

/** A request that cannot be served; becomes an {@code error} message with this code. */
final class SignalingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    /** For {@code redirect}: the base URL of the node that serves the room. */
    private final String url;

    SignalingException(ErrorCode code, String message) {
        this(code, message, null);
    }

    SignalingException(ErrorCode code, String message, String url) {
        super(message, null, false, false);
        this.code = code;
        this.url = url;
    }

    SignalingException(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    ErrorCode code() {
        return code;
    }

    String url() {
        return url;
    }
}
