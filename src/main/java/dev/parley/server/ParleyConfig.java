package dev.parley.server;

import dev.parley.sfu.SfuSettings;
import dev.parley.signaling.ClusterSettings;
import dev.parley.signaling.SignalingSettings;
import dev.parley.signaling.auth.ApiKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole, immutable configuration of one Parley process. Built once by {@link ConfigLoader};
 * nothing below the server layer reads flags, environment variables or files.
 */
public record ParleyConfig(
        String host,
        int port,
        List<String> allowedOrigins,
        Optional<Path> webRoot,
        String logLevel,
        SignalingSettings signaling,
        SfuSettings sfu,
        TurnConfig turn,
        Optional<ApiKey> apiKey,
        TlsConfig tls,
        Optional<String> adminToken,
        Optional<ClusterSettings> cluster) {

    /** Embedded defaults, as {@code java -jar parley.jar} with no options uses them. */
    public static ParleyConfig defaults() {
        return ConfigLoader.load(new String[0], java.util.Map.of());
    }

    /** A copy listening on another port (tests use port 0 for a free one). */
    public ParleyConfig withPort(int newPort) {
        return new ParleyConfig(host, newPort, allowedOrigins, webRoot, logLevel, signaling, sfu, turn, apiKey, tls, adminToken, cluster);
    }

    /** A copy with other signaling settings. */
    public ParleyConfig withSignaling(SignalingSettings newSignaling) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, newSignaling, sfu, turn, apiKey, tls, adminToken, cluster);
    }

    /** A copy with another origin allow-list. */
    public ParleyConfig withAllowedOrigins(List<String> origins) {
        return new ParleyConfig(host, port, List.copyOf(origins), webRoot, logLevel, signaling, sfu, turn, apiKey, tls, adminToken, cluster);
    }

    /** A copy with other TURN settings. */
    public ParleyConfig withTurn(TurnConfig newTurn) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, signaling, sfu, newTurn, apiKey, tls, adminToken, cluster);
    }

    /** A copy with other media plane settings. */
    public ParleyConfig withSfu(SfuSettings newSfu) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, signaling, newSfu, turn, apiKey, tls, adminToken, cluster);
    }

    /** A copy that requires join tokens signed with {@code key} (empty: dev mode, no tokens). */
    public ParleyConfig withApiKey(Optional<ApiKey> value) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, signaling, sfu, turn, value, tls, adminToken, cluster);
    }

    /** A copy with other HTTPS settings. */
    public ParleyConfig withTls(TlsConfig value) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, signaling, sfu, turn, apiKey, value, adminToken, cluster);
    }

    /** A copy whose admin page and API require this bearer token (empty: loopback clients only). */
    public ParleyConfig withAdminToken(Optional<String> value) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, signaling, sfu, turn, apiKey, tls, value, cluster);
    }

    /** A copy in cluster mode on Redis (empty: one node, in memory). */
    public ParleyConfig withCluster(Optional<ClusterSettings> value) {
        return new ParleyConfig(host, port, allowedOrigins, webRoot, logLevel, signaling, sfu, turn, apiKey, tls, adminToken, value);
    }
}
