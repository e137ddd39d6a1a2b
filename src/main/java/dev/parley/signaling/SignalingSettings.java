package dev.parley.signaling;

import java.time.Duration;
import java.util.List;

/**
 * Limits and timers of the signaling service. Values come from the server's configuration.
 *
 * @param maxMessageBytes    largest accepted text frame; larger ones get {@code too-large} and a close
 * @param rateLimitPerSecond sustained messages per second per connection
 * @param rateLimitBurst     messages a connection may send at once before the rate applies
 * @param heartbeatInterval  how often the server pings an idle connection
 * @param heartbeatTimeout   silence after which a connection is considered dead and closed
 * @param resumeGrace        how long a session whose socket dropped waits to be resumed
 * @param resumeQueueLimit   events kept for a session that is away; beyond it resume fails
 * @param maxRoomSize        largest capacity a room may have (and the capacity when none is asked)
 * @param maxSendBufferBytes bytes queued to a slow client before it is disconnected
 * @param iceServers         STUN/TURN servers returned on join
 */
public record SignalingSettings(
        int maxMessageBytes,
        double rateLimitPerSecond,
        int rateLimitBurst,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration resumeGrace,
        int resumeQueueLimit,
        int maxRoomSize,
        long maxSendBufferBytes,
        List<IceServer> iceServers) {

    public SignalingSettings {
        iceServers = List.copyOf(iceServers);
        if (maxMessageBytes < 256) throw new IllegalArgumentException("maxMessageBytes must be at least 256");
        if (rateLimitPerSecond <= 0 || rateLimitBurst < 1) throw new IllegalArgumentException("rate limit must be positive");
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeat timeout must be longer than the heartbeat interval");
        }
        if (resumeQueueLimit < 1 || maxRoomSize < 2) throw new IllegalArgumentException("queue and room limits must be positive");
    }

    public SignalingSettings withHeartbeat(Duration interval, Duration timeout) {
        return new SignalingSettings(maxMessageBytes, rateLimitPerSecond, rateLimitBurst, interval, timeout,
                resumeGrace, resumeQueueLimit, maxRoomSize, maxSendBufferBytes, iceServers);
    }

    public SignalingSettings withResume(Duration grace, int queueLimit) {
        return new SignalingSettings(maxMessageBytes, rateLimitPerSecond, rateLimitBurst, heartbeatInterval,
                heartbeatTimeout, grace, queueLimit, maxRoomSize, maxSendBufferBytes, iceServers);
    }

    public SignalingSettings withRateLimit(double perSecond, int burst) {
        return new SignalingSettings(maxMessageBytes, perSecond, burst, heartbeatInterval, heartbeatTimeout,
                resumeGrace, resumeQueueLimit, maxRoomSize, maxSendBufferBytes, iceServers);
    }

    public SignalingSettings withMaxMessageBytes(int bytes) {
        return new SignalingSettings(bytes, rateLimitPerSecond, rateLimitBurst, heartbeatInterval, heartbeatTimeout,
                resumeGrace, resumeQueueLimit, maxRoomSize, maxSendBufferBytes, iceServers);
    }
}
