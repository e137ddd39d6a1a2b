package dev.parley.signaling;

/** A request that cannot be served; becomes an {@code error} message with this code. */
final class SignalingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    SignalingException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    SignalingException(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    ErrorCode code() {
        return code;
    }
}
