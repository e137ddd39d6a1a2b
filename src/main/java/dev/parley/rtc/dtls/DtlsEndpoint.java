package dev.parley.rtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One DTLS-SRTP association with one remote endpoint, driven by an event loop.
 *
 * <p>Lifecycle: create with {@link #server} or {@link #client}, {@link #start()}, feed every
 * DTLS record demultiplexed from the 5-tuple (first byte 20–63, RFC 7983) to {@link #receive};
 * records to send arrive at the {@link RecordSender}. The {@link Listener} hears
 * {@code onConnected} once with the SRTP keys, then {@code onClosed} exactly once, whatever the
 * cause (peer close_notify, alerts, wrong fingerprint, timeout, {@link #close()}).
 *
 * <p>Threads: {@code receive} and {@code close} may be called from the loop; handshake and
 * post-handshake record processing run on the executor, and so do the sender and listener
 * callbacks (except {@code onClosed} after a local {@code close()}, which runs on the caller).
 * Callers hop back to their loop inside the callbacks; {@code onClosed} can follow
 * {@code onConnected} at once from another thread. Give the executor a few threads per
 * core: a handshake parks its thread while waiting for the peer's next flight.
 */
public final class DtlsEndpoint {

    /** Where the endpoint is in its life; moves forward only. */
    public enum State { NEW, HANDSHAKING, CONNECTED, CLOSED }

    /** Sends one DTLS datagram to the peer; called on executor threads, must not block. */
    @FunctionalInterface
    public interface RecordSender {
        void send(byte[] buf, int off, int len);
    }

    /** What the transport needs to hear from DTLS. */
    public interface Listener {
        /** Handshake done, peer verified; build SRTP sessions from these keys. */
        void onConnected(SrtpKeyingMaterial keys);

        /** The association is over; close the transport. Called once. */
        void onClosed(DtlsClose reason);

        /** Decrypted DTLS application data (SCTP for data channels); the buffer is reused. */
        default void onApplicationData(byte[] buf, int off, int len) {
        }
    }

    /** Shared: BcTlsCrypto is stateless apart from its SecureRandom, which is thread-safe. */
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

    private final DtlsRole role;
    private final PeerVerifier peer;
    private final QueueDatagramTransport transport;
    private final Listener listener;
    private final Executor executor;
    private final long handshakeTimeoutNanos;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger droppedRecords = new AtomicInteger();
    private volatile boolean closeRequested;
    private volatile DTLSTransport dtls;
    private final byte[] applicationBuffer = new byte[QueueDatagramTransport.RECEIVE_LIMIT];

    private DtlsEndpoint(DtlsRole role, DtlsConfig config, DtlsFingerprint remoteFingerprint,
            RecordSender sender, Listener listener, Executor executor) {
        this.role = role;
        try {
            this.peer = new PeerVerifier(config, remoteFingerprint, role, CRYPTO);
        } catch (IOException e) {
            throw new IllegalArgumentException("unusable local certificate", e);
        }
        this.transport = new QueueDatagramTransport(sender, config.mtu());
        this.listener = listener;
        this.executor = executor;
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
    }

    /** The SFU's side (a=setup:passive): waits for the browser's ClientHello. */
    public static DtlsEndpoint server(DtlsConfig config, DtlsFingerprint remoteFingerprint,
            RecordSender sender, Listener listener, Executor executor) {
        return new DtlsEndpoint(DtlsRole.SERVER, config, remoteFingerprint, sender, listener, executor);
    }

    /** The active side (a=setup:active): sends the ClientHello once started. */
    public static DtlsEndpoint client(DtlsConfig config, DtlsFingerprint remoteFingerprint,
            RecordSender sender, Listener listener, Executor executor) {
        return new DtlsEndpoint(DtlsRole.CLIENT, config, remoteFingerprint, sender, listener, executor);
    }

    public DtlsRole role() {
        return role;
    }

    public State state() {
        return state.get();
    }

    /** Records dropped because the queue was full or the endpoint closed. */
    public int droppedRecords() {
        return droppedRecords.get();
    }

    /** Begins the handshake on the executor; the timeout runs from here. Once only. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            throw new IllegalStateException("already started");
        }
        transport.handshakeDeadline(System.nanoTime() + handshakeTimeoutNanos);
        executor.execute(this::handshake);
    }

    /**
     * Hands over one received DTLS datagram; it is copied, so the caller may reuse its buffer.
     * Records may arrive before {@link #start()} (a ClientHello racing the answer) and are kept.
     * Returns false if the record was dropped.
     */
    public boolean receive(byte[] buf, int off, int len) {
        if (!transport.offer(buf, off, len)) {
            droppedRecords.incrementAndGet();
            return false;
        }
        if (state.get() == State.CONNECTED) {
            scheduleDrain();
        }
        return true;
    }

    /** Sends DTLS application data (SCTP). Only once connected. */
    public void send(byte[] buf, int off, int len) throws IOException {
        DTLSTransport t = dtls;
        if (t == null || state.get() != State.CONNECTED) {
            throw new IOException("DTLS not connected");
        }
        t.send(buf, off, len);
    }

    /** Sends close_notify if connected, stops a running handshake, reports {@link DtlsClose.Kind#LOCAL}. */
    public void close() {
        closeRequested = true;
        // Claim CLOSED first, so the peer's answering close_notify cannot be reported instead.
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        DTLSTransport t = dtls;
        if (previous == State.CONNECTED && t != null) {
            try {
                t.close();
            } catch (IOException | RuntimeException ignored) {
                // The peer may already be gone; close_notify is best effort.
            }
        }
        transport.close();
        listener.onClosed(DtlsClose.of(DtlsClose.Kind.LOCAL, "closed locally"));
    }

    private void handshake() {
        try {
            DTLSTransport established;
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE connectivity checks already proved the address, so skip the cookie round trip.
                protocol.setVerifyRequests(false);
                established = protocol.accept(new SrtpDtlsServer(peer), transport);
            } else {
                established = new DTLSClientProtocol().connect(new SrtpDtlsClient(peer), transport);
            }
            if (closeRequested) {
                established.close();
                return;
            }
            dtls = established;
            transport.established();
            if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
                return;
            }
            listener.onConnected(peer.keys);
            if (transport.hasPending()) {
                scheduleDrain();
            }
        } catch (IOException | RuntimeException e) {
            finish(classifyHandshakeFailure(e));
        }
    }

    private DtlsClose classifyHandshakeFailure(Exception e) {
        if (closeRequested) {
            return DtlsClose.of(DtlsClose.Kind.LOCAL, "closed locally during handshake");
        }
        if (transport.deadlinePassed() || hasCause(e, QueueDatagramTransport.HandshakeTimeoutException.class)) {
            return DtlsClose.of(DtlsClose.Kind.HANDSHAKE_TIMEOUT, "no handshake within "
                    + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms");
        }
        DtlsClose alert = peer.alert;
        if (alert != null) {
            return alert;
        }
        return DtlsClose.of(DtlsClose.Kind.HANDSHAKE_FAILED, String.valueOf(e));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /**
     * Post-handshake: lets BouncyCastle process queued records (alerts, a retransmitted final
     * flight, application data). The transport never waits now, so this returns promptly; BC's
     * receive still polls the empty queue until its 1 ms timeout ends, a bounded cost paid only
     * when DTLS records (rare after the handshake) arrive.
     */
    private void drain() {
        do {
            try {
                while (transport.hasPending() && state.get() == State.CONNECTED) {
                    int n = dtls.receive(applicationBuffer, 0, applicationBuffer.length, 1);
                    if (n > 0) {
                        listener.onApplicationData(applicationBuffer, 0, n);
                    }
                    DtlsClose alert = peer.alert;
                    if (alert != null) {
                        finish(alert);
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                DtlsClose alert = peer.alert;
                finish(alert != null ? alert : DtlsClose.of(DtlsClose.Kind.ALERT_RAISED, String.valueOf(e)));
                return;
            } finally {
                draining.set(false);
            }
        } while (transport.hasPending() && state.get() == State.CONNECTED && draining.compareAndSet(false, true));
    }

    private void finish(DtlsClose reason) {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        transport.close();
        listener.onClosed(reason);
    }
}
