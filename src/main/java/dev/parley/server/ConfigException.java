package dev.parley.server;

/** A configuration value that cannot be used; the message names the option and the source. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
