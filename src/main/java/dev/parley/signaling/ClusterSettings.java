package dev.parley.signaling;

import java.time.Duration;

/**
 * Cluster mode (docs/operations.md, Scaling).
 *
 * @param redisUri          {@code redis://[user:password@]host:port[/db]} (or {@code rediss://})
 * @param nodeUrl           this node's base URL as clients reach it (redirects point there); null: derived at start
 * @param heartbeatInterval how often this node refreshes its registration
 * @param nodeTimeout       a node whose registration is this old is considered gone
 * @param removeAfter       how long a gone node's peers stay (away) before others get peer-left: the resume grace
 */
public record ClusterSettings(String redisUri, String nodeUrl, Duration heartbeatInterval, Duration nodeTimeout, Duration removeAfter) {

    public ClusterSettings {
        if (nodeTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("node timeout must be at least two heartbeat intervals");
        }
    }

    /** Heartbeat every second; a node silent for five is gone; its peers leave after {@code resumeGrace}. */
    public static ClusterSettings of(String redisUri, String nodeUrl, Duration resumeGrace) {
        return new ClusterSettings(redisUri, nodeUrl, Duration.ofSeconds(1), Duration.ofSeconds(5), resumeGrace);
    }

    public ClusterSettings withNodeUrl(String url) {
        return new ClusterSettings(redisUri, url, heartbeatInterval, nodeTimeout, removeAfter);
    }

    public ClusterSettings withRemoveAfter(Duration grace) {
        return new ClusterSettings(redisUri, nodeUrl, heartbeatInterval, nodeTimeout, grace);
    }
}
