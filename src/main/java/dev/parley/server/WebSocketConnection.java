package dev.parley.server;

import dev.parley.signaling.Connection;
import dev.parley.signaling.ErrorCode;
import dev.parley.signaling.SignalingService;
import dev.parley.signaling.SignalingSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts one Jetty WebSocket at {@code /ws} to the signaling layer's {@link Connection}. */
@WebSocket
public final class WebSocketConnection implements Connection {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private final SignalingService signaling;
    private final String remote;
    private final String userAgent;
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile Session session;
    private volatile SignalingSocket socket;

    WebSocketConnection(SignalingService signaling, String remote, String userAgent) {
        this.signaling = signaling;
        this.remote = remote;
        this.userAgent = userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), 256));
    }

    @OnWebSocketOpen
    public void onOpen(Session openedSession) {
        this.session = openedSession;
        this.socket = signaling.open(this);
    }

    @OnWebSocketMessage
    public void onText(String text) {
        signaling.receive(socket, text);
    }

    @OnWebSocketClose
    public void onClose(int statusCode, String reason) {
        if (statusCode == 1009) signaling.countRejectedFrame(ErrorCode.TOO_LARGE);
        if (socket != null) signaling.closed(socket);
    }

    @OnWebSocketError
    public void onError(Throwable cause) {
        log.debug("websocket error from {}: {}", remote, cause.toString());
    }

    @Override
    public void send(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) return;
        long size = text.length() <= 4096 ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
        queuedBytes.addAndGet(size);
        s.sendText(text, Callback.from(() -> queuedBytes.addAndGet(-size), failure -> queuedBytes.addAndGet(-size)));
    }

    @Override
    public void close(int statusCode, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) s.close(statusCode, reason, Callback.NOOP);
    }

    @Override
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public String userAgent() {
        return userAgent;
    }
}
