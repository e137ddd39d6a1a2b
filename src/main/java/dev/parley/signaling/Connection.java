package dev.parley.signaling;

/**
 * A client's text socket as the signaling layer sees it. The server layer implements it over a
 * WebSocket; signaling never sees HTTP or Jetty types.
 */
public interface Connection {
    /** Queues a text frame; never blocks. */
    void send(String text);

    /** Closes the socket with a WebSocket close code; idempotent. */
    void close(int statusCode, String reason);

    /** Bytes queued for sending but not yet written to the network. */
    long queuedBytes();

    /** True until the socket is closed (either side); used to let goodbyes flush on shutdown. */
    boolean isOpen();

    /** Remote address for logs. */
    String remoteAddress();

    /** The browser's User-Agent header, for the admin page; null when unknown. */
    default String userAgent() {
        return null;
    }
}
