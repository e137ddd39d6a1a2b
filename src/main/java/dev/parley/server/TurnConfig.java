package dev.parley.server;

import dev.parley.turn.TurnSettings;

/**
 * The built-in TURN server as configured: whether it runs, its settings, and the host name the
 * URLs handed to clients carry.
 *
 * @param randomSecret the secret was generated at start (credentials do not survive a restart)
 */
public record TurnConfig(boolean enabled, TurnSettings settings, String publicHost, boolean randomSecret) {
    public TurnConfig withSettings(TurnSettings newSettings) {
        return new TurnConfig(enabled, newSettings, publicHost, randomSecret);
    }
}
