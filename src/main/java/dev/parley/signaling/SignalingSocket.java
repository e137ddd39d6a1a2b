package dev.parley.signaling;

/**
 * Server-side state of one signaling socket: its rate limit, heartbeat clock and, once joined,
 * its session. The server layer holds one per WebSocket and passes it back on each event.
 */
public final class SignalingSocket {
    private final Connection connection;
    private final TokenBucket rateLimit;
    private final SignalingMetrics metrics;
    private long lastHeardNanos;
    private long lastPingNanos;
    private long lastRateErrorNanos;
    private int droppedInWindow;
    private long dropWindowStartNanos;
    private Session session;
    private volatile boolean closed;

    SignalingSocket(Connection connection, TokenBucket rateLimit, SignalingMetrics metrics, long nowNanos) {
        this.connection = connection;
        this.rateLimit = rateLimit;
        this.metrics = metrics;
        this.lastHeardNanos = nowNanos;
        this.lastPingNanos = nowNanos;
        this.lastRateErrorNanos = nowNanos - 2_000_000_000L;
    }

    void send(String text) {
        if (closed) return;
        metrics.messageOut();
        connection.send(text);
    }

    void close(int statusCode, String reason) {
        closed = true;
        connection.close(statusCode, reason);
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the socket gone without sending anything (the peer closed it). */
    void markClosed() {
        closed = true;
    }

    Connection connection() {
        return connection;
    }

    Session session() {
        return session;
    }

    void session(Session s) {
        session = s;
    }

    TokenBucket rateLimit() {
        return rateLimit;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    long lastPingNanos() {
        return lastPingNanos;
    }

    void pinged(long nowNanos) {
        lastPingNanos = nowNanos;
    }

    /** Records a dropped message; returns how many were dropped in the current 5 s window. */
    int dropped(long nowNanos) {
        if (nowNanos - dropWindowStartNanos > 5_000_000_000L) {
            dropWindowStartNanos = nowNanos;
            droppedInWindow = 0;
        }
        return ++droppedInWindow;
    }

    /** At most one rate-limit error per second, so a flood does not get a flood of errors back. */
    boolean shouldReportRateLimit(long nowNanos) {
        if (nowNanos - lastRateErrorNanos < 1_000_000_000L) return false;
        lastRateErrorNanos = nowNanos;
        return true;
    }
}
