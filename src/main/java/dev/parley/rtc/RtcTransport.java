package dev.parley.rtc;

import dev.parley.codec.stun.StunMessage;
import dev.parley.rtc.dtls.DtlsClose;
import dev.parley.rtc.dtls.DtlsConfig;
import dev.parley.rtc.dtls.DtlsEndpoint;
import dev.parley.rtc.dtls.DtlsFingerprint;
import dev.parley.rtc.dtls.SrtpKeyingMaterial;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.ice.IceLiteAgent;
import dev.parley.rtc.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICE-lite + DTLS + SRTP for one remote endpoint on one 5-tuple (BUNDLE, rtcp-mux). The SFU
 * above it sees only clear RTP/RTCP; the wire below it only protected packets. Confined to the
 * media event loop; DTLS callbacks hop back onto it.
 */
public final class RtcTransport {
    private static final Logger log = LoggerFactory.getLogger(RtcTransport.class);
    private static final int EARLY_DTLS_RECORDS = 8;

    /** What the SFU hears from its transport; called on the event loop. */
    public interface Listener {
        /** DTLS is up and SRTP keyed: media can flow. */
        void onConnected(RtcTransport transport);

        /** A clear RTP packet in {@code buf}; valid only during the call. */
        void onRtp(RtcTransport transport, byte[] buf, int off, int len);

        /** A clear RTCP compound packet; valid only during the call. */
        void onRtcp(RtcTransport transport, byte[] buf, int off, int len);

        /** The transport is closed (ICE consent lost, DTLS alert, close()); called once. */
        void onClosed(RtcTransport transport, String reason);
    }

    private final String id;
    private final UdpMux mux;
    private final IceLiteAgent ice;
    private final DtlsConfig dtlsConfig;
    private final Executor handshakeExecutor;
    private final RtcMetrics metrics;
    private final Listener listener;
    private final long createdNanos = System.nanoTime();
    private final ArrayDeque<byte[]> earlyDtls = new ArrayDeque<>();
    private final TcpMux tcp;
    /** The path of the selected ICE pair (UDP or ICE-TCP); null until the first check. */
    private MediaPath selected;
    private DtlsEndpoint dtls;
    private SrtpSession inbound;
    private SrtpSession outbound;
    private boolean closed;

    /** A transport reachable through {@code mux} and, when {@code tcp} is not null, through ICE-TCP too. */
    public RtcTransport(String id, UdpMux mux, TcpMux tcp, DtlsConfig dtlsConfig, Executor handshakeExecutor,
            RtcMetrics metrics, Listener listener) {
        this.id = id;
        this.mux = mux;
        this.tcp = tcp;
        this.ice = new IceLiteAgent(IceCredentials.random());
        this.dtlsConfig = dtlsConfig;
        this.handshakeExecutor = handshakeExecutor;
        this.metrics = metrics;
        this.listener = listener;
        mux.register(this);
    }

    public String id() {
        return id;
    }

    public IceLiteAgent ice() {
        return ice;
    }

    /** Our certificate fingerprint for {@code a=fingerprint}. */
    public DtlsFingerprint localFingerprint() {
        return dtlsConfig.certificate().fingerprint();
    }

    /** The port of this transport's passive ICE-TCP candidate (RFC 6544 §4.5), or -1 without ICE-TCP. */
    public int iceTcpPort() {
        return tcp == null ? -1 : tcp.localPort();
    }

    public boolean isConnected() {
        return outbound != null && !closed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The selected pair's protocol ("udp", or "tcp" for ICE-TCP), or null before the first check. */
    public String selectedProtocol() {
        MediaPath path = selected;
        return path == null ? null : path.protocol();
    }

    /** The selected pair's remote address, or null before the first check. */
    public InetSocketAddress selectedRemote() {
        MediaPath path = selected;
        return path == null ? null : path.remote();
    }

    public long createdNanos() {
        return createdNanos;
    }

    /**
     * Starts the DTLS server side once the remote description gave the peer's ufrag and
     * certificate fingerprint. The browser is always the DTLS client (a=setup:active).
     */
    public void start(String remoteUfrag, DtlsFingerprint remoteFingerprint) {
        if (closed || dtls != null) return;
        ice.remoteUfrag(remoteUfrag);
        dtls = DtlsEndpoint.server(dtlsConfig, remoteFingerprint,
                (buf, off, len) -> {
                    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                    mux.loop().execute(() -> sendRaw(copy, 0, copy.length));
                },
                new DtlsEndpoint.Listener() {
                    @Override
                    public void onConnected(SrtpKeyingMaterial keys) {
                        mux.loop().execute(() -> keyed(keys));
                    }

                    @Override
                    public void onClosed(DtlsClose reason) {
                        mux.loop().execute(() -> {
                            if (outbound == null) metrics.dtlsFailures.increment();
                            close("DTLS " + reason);
                        });
                    }
                }, handshakeExecutor);
        dtls.start();
        while (!earlyDtls.isEmpty()) {
            byte[] record = earlyDtls.poll();
            dtls.receive(record, 0, record.length);
        }
    }

    private void keyed(SrtpKeyingMaterial keys) {
        if (closed) return;
        inbound = keys.newReceiverSession();
        outbound = keys.newSenderSession();
        log.debug("transport {} connected ({})", id, keys.profile());
        listener.onConnected(this);
    }

    /**
     * A Binding request from {@code source}; {@code tcpPath} is the ICE-TCP connection it came on,
     * or null for UDP. The answer goes back the way the request came.
     */
    /**
     * Answers one STUN message from a candidate path. Returns true only if it was a Binding request
     * that passed MESSAGE-INTEGRITY (RFC 8445 §7.3): only then may the path carry this transport's
     * DTLS and SRTP.
     */
    boolean onStun(StunMessage message, InetSocketAddress source, MediaPath tcpPath) {
        if (closed) return false;
        IceLiteAgent.Result result = ice.onRequest(message, source, System.nanoTime());
        boolean verified = false;
        switch (result.outcome()) {
            case SELECTED -> {
                if (tcpPath == null) mux.bindAddress(source, this);
                selected = tcpPath != null ? tcpPath : mux.pathTo(source);
                verified = true;
            }
            case ANSWERED -> {
                if (tcpPath == null) mux.bindAddress(source, this);
                verified = true;
            }
            case REFUSED -> metrics.stunRefused.increment();
            case IGNORED -> {
                return false;
            }
        }
        if (result.response() != null) {
            if (tcpPath != null) tcpPath.send(result.response(), 0, result.response().length);
            else mux.send(result.response(), 0, result.response().length, source);
        }
        return verified;
    }

    /** An ICE-TCP connection closed: if it carried the selected pair, media waits for the next check. */
    void pathClosed(MediaPath path) {
        if (selected == path) selected = null;
    }

    void forgetAddress(InetSocketAddress address) {
        // Nothing to do: the selected address is re-learned from the next nominated check.
    }

    void onDatagram(byte[] buf, int off, int len, InetSocketAddress source) {
        if (closed) return;
        int first = buf[off] & 0xFF;
        if (first >= 20 && first <= 63) {
            if (dtls == null) {
                if (earlyDtls.size() < EARLY_DTLS_RECORDS) earlyDtls.add(Arrays.copyOfRange(buf, off, off + len));
            } else {
                dtls.receive(buf, off, len);
            }
            return;
        }
        if (first < 128 || first > 191 || len < 12 || inbound == null) {
            metrics.malformed.increment();
            return;
        }
        int packetType = buf[off + 1] & 0xFF;
        // RFC 5761 §4: RTCP packet types 192-223 occupy the RTP marker+PT byte range 64-95.
        if (packetType >= 192 && packetType <= 223) {
            int clear = inbound.unprotectRtcp(buf, off, len);
            if (clear < 0) {
                metrics.srtpFailures.increment();
                return;
            }
            listener.onRtcp(this, buf, off, clear);
        } else {
            int clear = inbound.unprotectRtp(buf, off, len);
            if (clear < 0) {
                metrics.srtpFailures.increment();
                return;
            }
            listener.onRtp(this, buf, off, clear);
        }
    }

    /**
     * Protects and sends an RTP packet. {@code buf} needs {@link #SEND_HEADROOM} spare bytes
     * after the packet; it is encrypted in place.
     */
    public boolean sendRtp(byte[] buf, int off, int len) {
        MediaPath to = selected;
        if (outbound == null || closed || to == null) return false;
        int protectedLength = outbound.protectRtp(buf, off, len);
        if (protectedLength < 0) return false;
        to.send(buf, off, protectedLength);
        return true;
    }

    /** Protects and sends an RTCP compound packet (same headroom rule as {@link #sendRtp}). */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        MediaPath to = selected;
        if (outbound == null || closed || to == null) return false;
        int protectedLength = outbound.protectRtcp(buf, off, len);
        if (protectedLength < 0) return false;
        to.send(buf, off, protectedLength);
        return true;
    }

    /** Spare bytes a send buffer needs after the packet for SRTP/SRTCP tags and index. */
    public static final int SEND_HEADROOM = 32;

    private void sendRaw(byte[] buf, int off, int len) {
        MediaPath to = selected;
        if (to != null && !closed) to.send(buf, off, len);
    }

    /** True if ICE consent expired (RFC 7675) or the peer never connected in time. */
    public boolean consentExpired(long nowNanos) {
        long last = ice.lastConsentNanos();
        long since = last == 0 ? createdNanos : last;
        return nowNanos - since > IceLiteAgent.CONSENT_TIMEOUT_NANOS;
    }

    /** Closes ICE, DTLS and SRTP; idempotent; the listener hears it once. */
    public void close(String reason) {
        if (closed) return;
        closed = true;
        mux.unregister(this);
        if (dtls != null) dtls.close();
        if (selected != null) selected.close();
        log.debug("transport {} closed: {}", id, reason);
        listener.onClosed(this, reason);
    }
}
