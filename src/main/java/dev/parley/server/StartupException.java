package dev.parley.server;

/**
 * One of Parley's listeners could not start (port taken, address not on this host, bad relay
 * address): names the listener and the flags that move it, so the operator knows what to change.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String listener, Throwable cause) {
        super("cannot start " + listener + ": " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
