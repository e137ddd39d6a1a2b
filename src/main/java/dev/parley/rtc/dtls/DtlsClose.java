package dev.parley.rtc.dtls;

/**
 * Why a DTLS endpoint closed; the transport closes with it (ARCHITECTURE: a DTLS alert closes
 * the transport and its producers/consumers).
 *
 * @param kind             what happened
 * @param alertDescription TLS AlertDescription code when an alert was involved, else -1
 * @param detail           human-readable cause for logs
 */
public record DtlsClose(Kind kind, short alertDescription, String detail) {

    /** The families of close the transport may count separately. */
    public enum Kind {
        /** The peer sent close_notify. */
        CLOSE_NOTIFY,
        /** The peer sent a fatal alert. */
        ALERT_RECEIVED,
        /** This side raised a fatal alert, e.g. a protocol error. */
        ALERT_RAISED,
        /** The peer's certificate does not match the fingerprint in its SDP. */
        FINGERPRINT_MISMATCH,
        /** No completed handshake within the configured time. */
        HANDSHAKE_TIMEOUT,
        /** The handshake failed for another reason (I/O, negotiation). */
        HANDSHAKE_FAILED,
        /** {@link DtlsEndpoint#close()} was called. */
        LOCAL
    }

    static DtlsClose of(Kind kind, String detail) {
        return new DtlsClose(kind, (short) -1, detail);
    }
}
