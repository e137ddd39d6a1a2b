package dev.parley.testing;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.MessageIntegrity;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import dev.parley.codec.stun.StunParseException;
import dev.parley.rtc.dtls.DtlsClose;
import dev.parley.rtc.dtls.DtlsConfig;
import dev.parley.rtc.dtls.DtlsEndpoint;
import dev.parley.rtc.dtls.DtlsFingerprint;
import dev.parley.rtc.dtls.SrtpKeyingMaterial;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.srtp.SrtpSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ICE + DTLS + SRTP connection of a {@link SyntheticPeer} to the SFU, on its own loopback
 * UDP socket: the controlling full ICE agent (RFC 8445 §7.2.4: Binding requests with USERNAME,
 * PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT), the DTLS client
 * (RFC 5764, a=setup:active) and SRTP with the exported keys. One receive thread per connection
 * demultiplexes by first byte (RFC 7983) and hands RTP, still protected, to the {@link RtpSink}.
 */
public final class SyntheticConnection implements AutoCloseable {
    /** Hears every RTP datagram; {@code buf} is reused after the call. Runs on the receive thread. */
    @FunctionalInterface
    public interface RtpSink {
        void onRtp(SyntheticConnection connection, byte[] buf, int len, long arrivalNanos);
    }

    /** Shared by every synthetic connection of the JVM: DTLS handshakes park a thread while waiting. */
    private static final ExecutorService HANDSHAKES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "synthetic-dtls");
        t.setDaemon(true);
        return t;
    });
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Where the sockets bind: the loopback address, or system property {@code synthetic.bind}
     * (e.g. the namespace's veth 127.10.0.1 for servers that ignore loopback interfaces).
     */
    private static final InetAddress BIND_ADDRESS = bindAddress();
    /** RFC 8445 §5.1.2.1 priority of a peer-reflexive candidate (type preference 110), component 1. */
    private static final long PRFLX_PRIORITY = (110L << 24) | (65535L << 8) | 255L;
    private static final long CONSENT_INTERVAL_NANOS = 5_000_000_000L;

    private final String name;
    private final DatagramSocket socket;
    private final IceCredentials local = IceCredentials.random();
    private final DtlsConfig dtlsConfig;
    private final long tieBreaker = RANDOM.nextLong();
    private final RtpSink sink;
    private final Thread receiver;
    private final CompletableFuture<Void> iceDone = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final DatagramPacket sendPacket = new DatagramPacket(new byte[0], 0);
    private final AtomicLong rtcpReceived = new AtomicLong();
    private final AtomicLong srtcpFailures = new AtomicLong();
    private final AtomicLong stunFailures = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();

    private volatile String remoteUfrag;
    private volatile byte[] remoteKey;
    private volatile DtlsEndpoint dtls;
    private volatile SrtpSession outbound;
    private volatile SrtpSession inbound;
    private volatile String closeReason;
    private volatile boolean closed;
    private boolean addressed;
    /** Our ICE role (RFC 8445 §6.1.1): controlling unless a full agent's role conflict says otherwise. */
    private volatile boolean controlling = true;
    private long lastConsentCheck;

    SyntheticConnection(String name, DtlsConfig dtlsConfig, RtpSink sink) {
        this.name = name;
        this.dtlsConfig = dtlsConfig;
        this.sink = sink;
        try {
            socket = new DatagramSocket(new InetSocketAddress(BIND_ADDRESS, 0));
            socket.setReceiveBufferSize(4 * 1024 * 1024);
            socket.setSendBufferSize(4 * 1024 * 1024);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        receiver = new Thread(this::receiveLoop, "synthetic-rx-" + name);
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Local ICE credentials for our SDP. */
    public IceCredentials iceCredentials() {
        return local;
    }

    /** The address and UDP port of this connection's socket. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private static InetAddress bindAddress() {
        String configured = System.getProperty("synthetic.bind");
        try {
            return configured == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(configured);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("synthetic.bind: " + configured, e);
        }
    }

    public DtlsFingerprint localFingerprint() {
        return dtlsConfig.certificate().fingerprint();
    }

    public String remoteUfrag() {
        return remoteUfrag;
    }

    public boolean isConnected() {
        return outbound != null && !closed;
    }

    /** Why DTLS or ICE ended, or null while alive. */
    public String closeReason() {
        return closeReason;
    }

    public long rtcpReceived() {
        return rtcpReceived.get();
    }

    public long srtcpFailures() {
        return srtcpFailures.get();
    }

    /** STUN messages that were not a verified Binding success (bad integrity, errors, other methods). */
    public long stunFailures() {
        return stunFailures.get();
    }

    /** Datagrams whose handling threw (malformed input); the receive thread carries on. */
    public long receiveErrors() {
        return receiveErrors.get();
    }

    /**
     * Runs ICE to the SFU's candidate until a nominated pair answers, then the DTLS client
     * handshake; returns once SRTP is keyed.
     */
    public void connect(SyntheticSdp.Remote remote, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        remoteUfrag = remote.iceUfrag();
        remoteKey = MessageIntegrity.shortTermKey(remote.icePassword());
        try {
            // Not DatagramSocket.connect: it waits for the receive thread's lock (JDK 17).
            synchronized (this) {
                sendPacket.setSocketAddress(remote.candidate());
                addressed = true;
            }
            // RFC 8445 §14: checks are retransmitted; on loopback 20 ms pacing is plenty.
            while (!iceDone.isDone()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(name + ": no ICE response from " + remote.candidate());
                sendBindingRequest();
                try {
                    iceDone.get(20, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // retransmit
                }
            }
            lastConsentCheck = System.nanoTime();
            DtlsEndpoint endpoint = DtlsEndpoint.client(dtlsConfig, remote.fingerprint(), this::sendDtls, new DtlsEndpoint.Listener() {
                @Override
                public void onConnected(SrtpKeyingMaterial keys) {
                    inbound = keys.newReceiverSession();
                    outbound = keys.newSenderSession();
                    connected.complete(null);
                }

                @Override
                public void onClosed(DtlsClose reason) {
                    closeReason = "DTLS " + reason;
                    connected.completeExceptionally(new IllegalStateException(name + ": DTLS closed: " + reason));
                }
            }, HANDSHAKES);
            dtls = endpoint;
            endpoint.start();
            connected.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": connection to the SFU failed", e);
        }
    }

    /** Sends a consent-freshness check (RFC 7675) if the last one is older than 5 s; cheap to call often. */
    public void keepAlive() {
        long now = System.nanoTime();
        if (closed || remoteKey == null || now - lastConsentCheck < CONSENT_INTERVAL_NANOS) return;
        lastConsentCheck = now;
        sendBindingRequest();
    }

    private void sendBindingRequest() {
        StunMessageBuilder builder = StunMessageBuilder.create(MessageType.request(StunMethod.BINDING))
                .addText(AttributeType.USERNAME, remoteUfrag + ":" + local.ufrag())
                .addUint32(AttributeType.PRIORITY, PRFLX_PRIORITY)
                .addUint64(controlling ? AttributeType.ICE_CONTROLLING : AttributeType.ICE_CONTROLLED, tieBreaker);
        if (controlling) builder.addFlag(AttributeType.USE_CANDIDATE);
        byte[] request = builder.addMessageIntegrity(remoteKey)
                .addFingerprint()
                .build();
        send(request, 0, request.length);
    }

    private void sendDtls(byte[] buf, int off, int len) {
        send(buf, off, len);
    }

    /** Protects (in place; {@code buf} needs 16 spare bytes) and sends one RTP packet. */
    public boolean sendRtp(byte[] buf, int len) {
        SrtpSession session = outbound;
        if (session == null || closed) return false;
        synchronized (this) {
            int protectedLength = session.protectRtp(buf, 0, len);
            if (protectedLength < 0) return false;
            send(buf, 0, protectedLength);
        }
        return true;
    }

    /** Verifies and decrypts a received SRTP packet in place: clear length, or a negative failure code. */
    public int unprotectRtp(byte[] buf, int len) {
        SrtpSession session = inbound;
        return session == null ? -1 : session.unprotectRtp(buf, 0, len);
    }

    private synchronized void send(byte[] buf, int off, int len) {
        if (closed || !addressed) return;
        sendPacket.setData(buf, off, len);
        try {
            socket.send(sendPacket);
        } catch (IOException e) {
            if (!closed) closeReason = "send failed: " + e;
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                packet.setLength(buf.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) closeReason = "receive failed: " + e;
                return;
            }
            long arrival = System.nanoTime();
            int len = packet.getLength();
            if (len == 0) continue;
            int first = buf[0] & 0xFF;
            try {
                if (first < 4) {
                    onStun(buf, len);
                } else if (first >= 20 && first <= 63) {
                    DtlsEndpoint endpoint = dtls;
                    if (endpoint != null) endpoint.receive(buf, 0, len);
                } else if (first >= 128 && first <= 191 && len >= 12) {
                    int packetType = buf[1] & 0xFF;
                    // RFC 5761 §4: RTCP packet types 192-223 sit where RTP's marker+PT would be 64-95.
                    if (packetType >= 192 && packetType <= 223) {
                        SrtpSession session = inbound;
                        if (session != null && session.unprotectRtcp(buf, 0, len) >= 0) rtcpReceived.incrementAndGet();
                        else srtcpFailures.incrementAndGet();
                    } else {
                        sink.onRtp(this, buf, len, arrival);
                    }
                }
            } catch (RuntimeException e) {
                // a malformed datagram must not end the receive thread; count it and go on
                receiveErrors.incrementAndGet();
            }
        }
    }

    private void onStun(byte[] buf, int len) {
        try {
            if (!StunMessage.looksLikeStun(buf, 0, len)) return;
            StunMessage message = StunMessage.decode(Arrays.copyOf(buf, len));
            if (message.method() != StunMethod.BINDING) return;
            if (message.stunClass() == StunClass.REQUEST) {
                answerCheck(message);
                return;
            }
            if (message.stunClass() == StunClass.ERROR_RESPONSE && MessageIntegrity.check(message, remoteKey)
                    && message.errorCode().code() == 487) {
                // RFC 8445 §7.2.5.1: a role conflict (a full agent that offered is controlling): switch and retry
                controlling = !controlling;
                return;
            }
            if (message.stunClass() == StunClass.SUCCESS_RESPONSE && MessageIntegrity.check(message, remoteKey)) {
                iceDone.complete(null);
            } else {
                stunFailures.incrementAndGet();
            }
        } catch (StunParseException e) {
            stunFailures.incrementAndGet();
        }
    }

    /**
     * Answers a full ICE agent's connectivity check (RFC 8445 §7.3; a lite SFU sends none):
     * success with XOR-MAPPED-ADDRESS, integrity with our password (RFC 8489 §14.5). Checks come
     * from the address we send to, so the reply goes there.
     */
    private void answerCheck(StunMessage request) {
        byte[] localKey = MessageIntegrity.shortTermKey(local.password());
        if (!MessageIntegrity.check(request, localKey)) {
            stunFailures.incrementAndGet();
            return;
        }
        InetSocketAddress peer;
        synchronized (this) {
            if (!addressed) return;
            peer = (InetSocketAddress) sendPacket.getSocketAddress();
        }
        byte[] response = StunMessageBuilder.successResponse(request)
                .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, peer)
                .addMessageIntegrity(localKey)
                .addFingerprint()
                .build();
        send(response, 0, response.length);
    }

    @Override
    public void close() {
        if (closed) return;
        DtlsEndpoint endpoint = dtls;
        if (endpoint != null) endpoint.close(); // close_notify while the socket still sends
        closed = true;
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SyntheticConnection[" + name + ", " + (isConnected() ? "connected" : "not connected") + "]";
    }
}
