package dev.parley.turn;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TURN allocation (RFC 8656 §2.2): a relayed transport address bound for one client 5-tuple,
 * with its permissions (§9), channel bindings (§12) and lifetime (§7).
 *
 * <p>Confined to one event loop: every method except construction runs on {@link #loop}, so the
 * relay path takes no locks. Closing is idempotent.
 */
final class Allocation {
    static final long PERMISSION_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final long CHANNEL_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final long CLIENT_SOCKET_LINGER_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(Allocation.class);

    /** One channel binding: number ↔ peer transport address. */
    static final class Binding {
        final int number;
        final InetSocketAddress peer;
        long expiresAt;

        Binding(int number, InetSocketAddress peer, long expiresAt) {
            this.number = number;
            this.peer = peer;
            this.expiresAt = expiresAt;
        }
    }

    final long id;
    final String username;
    /** Where responses and relayed data for the client go; switches to the connected UDP socket once it is up. */
    volatile ClientLink client;
    /** A UDP socket connected to the client on this allocation's loop (see {@link #useClientSocket}), or null. */
    private Channel clientSocket;
    final boolean tcpRelay;
    private final boolean streamClient;
    final EventLoop loop;
    final byte[] allocateTransactionId;
    private final AllocationTable table;
    private final TurnMetrics metrics;
    private final TurnClock clock;
    private final int maxPermissions;
    private final long bandwidth;
    private final Map<InetAddress, Long> permissions = new HashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    final Map<Integer, PeerConnection> peerConnections = new HashMap<>();
    /** {@link #additionalFamily}: none asked, an IPv6 relay asked and granted, or asked and refused (no IPv6 relays here). */
    static final int ADDITIONAL_NONE = 0;
    static final int ADDITIONAL_V6 = 1;
    static final int ADDITIONAL_REFUSED = 2;

    Channel relayChannel;
    InetSocketAddress relayAddress;
    /** RFC 8656 §7.2 dual allocation: the IPv6 relay next to the IPv4 {@link #relayChannel}, or null. */
    Channel relayChannelV6;
    InetSocketAddress relayAddressV6;
    int additionalFamily = ADDITIONAL_NONE;
    byte[] integrityKey;
    boolean integritySha256;
    private final long createdAt;
    private long expiresAt;
    private int lifetimeSeconds;
    private ScheduledFuture<?> expiryTimer;
    private ScheduledFuture<?> sweepTimer;
    private long tokens;
    private long tokensAt;
    private long streamTokens; // guarded by this: RFC 6062 splices run on their connections' loops
    private long streamTokensAt;
    private boolean closed;
    // Relay-path batching: writes are queued per packet and flushed once per read batch (channelReadComplete),
    // so epoll hands the batch to one sendmmsg; counters are published per batch, not per packet.
    private boolean clientFlushPending;
    private boolean relayFlushPending;
    private final Tally toPeer = new Tally();
    private final Tally toClient = new Tally();

    /** Packets and bytes of one direction: counted per packet in plain fields, published to the meters per batch. */
    private static final class Tally {
        long packets;
        long bytes;
        long totalPackets;
        long totalBytes;

        void add(int length) {
            packets++;
            bytes += length;
        }

        void publish(Counter packetCounter, Counter byteCounter) {
            if (packets == 0) return;
            packetCounter.increment(packets);
            byteCounter.increment(bytes);
            totalPackets += packets;
            totalBytes += bytes;
            packets = 0;
            bytes = 0;
        }
    }

    Allocation(long id, String username, ClientLink client, boolean tcpRelay, EventLoop loop, byte[] allocateTransactionId,
               AllocationTable table, TurnMetrics metrics, TurnClock clock, int maxPermissions, long bandwidthBytesPerSecond) {
        this.id = id;
        this.username = username;
        this.client = client;
        this.tcpRelay = tcpRelay;
        this.streamClient = client instanceof ClientLink.Stream;
        this.loop = loop;
        this.allocateTransactionId = allocateTransactionId;
        this.table = table;
        this.metrics = metrics;
        this.clock = clock;
        this.maxPermissions = maxPermissions;
        this.bandwidth = bandwidthBytesPerSecond;
        this.tokens = bandwidthBytesPerSecond;
        this.createdAt = clock.nanoTime();
        this.tokensAt = createdAt;
        this.streamTokens = bandwidthBytesPerSecond;
        this.streamTokensAt = createdAt;
    }

    /** Called once the relay socket is bound: starts the lifetime and the periodic sweep. */
    void activate(Channel relay, InetSocketAddress advertised, int lifetimeSeconds) {
        this.relayChannel = relay;
        this.relayAddress = advertised;
        (tcpRelay ? metrics.tcpAllocations : metrics.udpAllocations).incrementAndGet();
        metrics.allocationCreated();
        refresh(lifetimeSeconds);
        sweepTimer = loop.scheduleAtFixedRate(this::sweep, 30, 30, TimeUnit.SECONDS);
        relay.closeFuture().addListener(f -> loop.execute(() -> close("relay_closed")));
        LOG.info("allocation {} created: user={} client={}/{} relay={}/{} lifetime={}s", id, username, client.transport(),
                client.remote(), tcpRelay ? "tcp" : "udp", advertised, lifetimeSeconds);
    }

    /**
     * From now on the client is reached (and, the kernel preferring the connected socket for its
     * 5-tuple, heard) through {@code socket}, a UDP socket on this allocation's loop bound to the
     * listener's address and connected to the client: the relay path stays on one thread whatever
     * listener socket the kernel's SO_REUSEPORT hash picked for the client.
     */
    void useClientSocket(Channel socket) {
        if (closed) {
            socket.close();
            return;
        }
        clientSocket = socket;
        client = new ClientLink.Udp(socket, client.remote(), (InetSocketAddress) socket.localAddress(), true);
    }

    /** Adds the IPv6 relay of a dual allocation; closing either relay closes the allocation. */
    void addRelayV6(Channel relay, InetSocketAddress advertised) {
        this.relayChannelV6 = relay;
        this.relayAddressV6 = advertised;
        relay.closeFuture().addListener(f -> loop.execute(() -> close("relay_closed")));
        LOG.info("allocation {} adds IPv6 relay {}", id, advertised);
    }

    /** Whether this allocation has a relayed address of that family (RFC 8656 §9.1 / §11.1: else 443). */
    boolean relaysFamily(boolean ipv6) {
        if (relayChannelV6 != null && ipv6) return true;
        return relayAddress != null && (relayAddress.getAddress() instanceof Inet6Address) == ipv6;
    }

    /** The relay socket that sends to this peer: the IPv6 one of a dual allocation for IPv6 peers. */
    private Channel relayFor(InetAddress peer) {
        return relayChannelV6 != null && peer instanceof Inet6Address ? relayChannelV6 : relayChannel;
    }

    /** The lifetime granted by the last Allocate or Refresh. */
    int lifetimeSeconds() {
        return lifetimeSeconds;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * RFC 8656 §7: an allocation whose lifetime ran out is gone. Checked against the clock wherever
     * the allocation is used (requests, relay path) as well as by the timer, so expiry does not
     * depend on a timer having fired. True when the allocation is (now) closed.
     */
    boolean closeIfExpired(long now) {
        if (closed) return true;
        if (relayAddress == null || expiresAt - now > 0) return false;
        close("expired");
        return true;
    }

    /** RFC 8656 §7.3: lifetime 0 deletes; any other value restarts the timer. */
    void refresh(int lifetimeSeconds) {
        if (expiryTimer != null) expiryTimer.cancel(false);
        if (lifetimeSeconds <= 0) {
            close("refresh_zero");
            return;
        }
        this.lifetimeSeconds = lifetimeSeconds;
        expiresAt = clock.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds);
        expiryTimer = loop.schedule(() -> closeIfExpired(clock.nanoTime()), lifetimeSeconds, TimeUnit.SECONDS);
    }

    /** RFC 8656 §9: installs or refreshes a permission for the peer's IP (port ignored). False when the table is full. */
    boolean permit(InetAddress peer) {
        sweep();
        long until = clock.nanoTime() + PERMISSION_LIFETIME_NANOS;
        if (permissions.put(peer, until) == null) {
            if (permissions.size() > maxPermissions) {
                permissions.remove(peer);
                return false;
            }
            metrics.permissions.incrementAndGet();
            LOG.debug("allocation {} permits {}", id, peer.getHostAddress());
        }
        return true;
    }

    boolean hasPermission(InetAddress peer) {
        return hasPermission(peer, clock.nanoTime());
    }

    private boolean hasPermission(InetAddress peer, long now) {
        Long until = permissions.get(peer);
        return until != null && until - now > 0;
    }

    /** Whether this permission could be added (already present, or room left). */
    boolean canPermit(InetAddress peer) {
        return permissions.containsKey(peer) || permissions.size() < maxPermissions;
    }

    Binding bindingByNumber(int number) {
        for (int i = 0, n = bindings.size(); i < n; i++) {
            Binding b = bindings.get(i);
            if (b.number == number) return b;
        }
        return null;
    }

    Binding bindingByPeer(InetSocketAddress peer) {
        for (int i = 0, n = bindings.size(); i < n; i++) {
            Binding b = bindings.get(i);
            if (b.peer.equals(peer)) return b;
        }
        return null;
    }

    /**
     * RFC 8656 §12: a binding past its 10 minutes is gone; the number and the peer may be bound
     * afresh. Expired bindings are dropped here (and by the sweep) before a ChannelBind looks.
     */
    void dropExpiredBindings() {
        long now = clock.nanoTime();
        for (Iterator<Binding> it = bindings.iterator(); it.hasNext(); ) {
            if (it.next().expiresAt - now <= 0) {
                it.remove();
                metrics.channels.decrementAndGet();
            }
        }
    }

    /** RFC 8656 §11.2: binds (or refreshes) channel ↔ peer; the caller has checked for conflicts. */
    boolean bindChannel(int number, InetSocketAddress peer) {
        Binding b = bindingByNumber(number);
        long until = clock.nanoTime() + CHANNEL_LIFETIME_NANOS;
        if (b == null) {
            if (bindings.size() >= maxPermissions) return false;
            bindings.add(new Binding(number, peer, until));
            metrics.channels.incrementAndGet();
            LOG.debug("allocation {} binds channel 0x{} to {}", id, Integer.toHexString(number), peer);
        } else {
            b.expiresAt = until;
        }
        return permit(peer.getAddress());
    }

    /**
     * Peer → client on a UDP relay: ChannelData when a channel is bound, else a Data indication
     * (RFC 8656 §11.3, §12.4). ChannelData to UDP clients is queued; {@link #peerReadComplete()}
     * flushes it once per read batch.
     */
    void fromPeer(DatagramPacket packet) {
        long now = clock.nanoTime();
        if (closeIfExpired(now)) {
            metrics.dropped("no_allocation");
            return;
        }
        InetSocketAddress peer = packet.sender();
        if (!hasPermission(peer.getAddress(), now)) {
            metrics.dropped("no_permission");
            return;
        }
        ByteBuf data = packet.content();
        int length = data.readableBytes();
        if (!takeTokens(length, now)) {
            metrics.dropped("bandwidth");
            return;
        }
        Binding b = bindingByPeer(peer);
        if (b != null && b.expiresAt - now <= 0) {
            dropExpiredBindings();
            b = null;
        }
        if (b != null) {
            client.sendChannelData(b.number, data, data.readerIndex(), length);
            if (streamClient) {
                // one TLS record / TCP write per message: some clients (coturn's uclient) read one message per read
                client.channel().flush();
            } else {
                clientFlushPending = true;
            }
        } else {
            byte[] payload = ByteBufUtil.getBytes(data);
            client.send(StunMessageBuilder.create(MessageType.indication(StunMethod.DATA))
                    .addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)
                    .add(AttributeType.DATA, payload)
                    .build());
        }
        toClient.add(length);
    }

    /** End of a read batch on the relay socket: one flush towards the client, counters published. */
    void peerReadComplete() {
        if (clientFlushPending) {
            clientFlushPending = false;
            client.channel().flush();
        }
        toClient.publish(metrics.packetsToClient, metrics.bytesToClient);
    }

    /**
     * Client → peer from ChannelData (RFC 8656 §12.6). The payload is sent from {@code frame}
     * itself (its indices are moved onto the payload; one reference is taken), so nothing is copied.
     * Returns true when this call queued the first unflushed write: the caller must then call
     * {@link #flushRelay()} once its read batch is done.
     */
    boolean fromClientChannel(int number, ByteBuf frame, int dataOffset, int length) {
        long now = clock.nanoTime();
        Binding b = bindingByNumber(number);
        if (closeIfExpired(now) || b == null || b.expiresAt - now <= 0) {
            if (b != null && !closed) dropExpiredBindings();
            metrics.dropped("no_channel");
            return false;
        }
        frame.setIndex(dataOffset, dataOffset + length);
        return sendToPeer(b.peer, frame.retain(), now);
    }

    /** Client → peer from a Send indication (RFC 8656 §10.2); takes ownership of {@code payload} and flushes. */
    void sendToPeer(InetSocketAddress peer, ByteBuf payload) {
        long now = clock.nanoTime();
        if (closeIfExpired(now)) {
            payload.release();
            return;
        }
        sendToPeer(peer, payload, now);
        flushRelay();
    }

    private boolean sendToPeer(InetSocketAddress peer, ByteBuf payload, long now) {
        int length = payload.readableBytes();
        if (tcpRelay || !hasPermission(peer.getAddress(), now)) {
            payload.release();
            metrics.dropped("no_permission");
            return false;
        }
        if (!takeTokens(length, now)) {
            payload.release();
            metrics.dropped("bandwidth");
            return false;
        }
        Channel relay = relayFor(peer.getAddress());
        relay.write(new DatagramPacket(payload, peer), relay.voidPromise());
        toPeer.add(length);
        if (relayFlushPending) return false;
        relayFlushPending = true;
        return true;
    }

    /** Flushes writes queued towards peers and publishes the batch's counters. Runs on the loop. */
    void flushRelay() {
        if (relayFlushPending) {
            relayFlushPending = false;
            if (relayChannel != null) relayChannel.flush();
            if (relayChannelV6 != null) relayChannelV6.flush();
        }
        toPeer.publish(metrics.packetsToPeer, metrics.bytesToPeer);
    }

    /** Token bucket, one second of burst; no allocation. */
    private boolean takeTokens(int bytes, long now) {
        if (bandwidth <= 0) return true;
        long elapsed = now - tokensAt;
        if (elapsed > 0) {
            tokens = Math.min(bandwidth, tokens + elapsed * bandwidth / 1_000_000_000L);
            tokensAt = now;
        }
        if (tokens < bytes) return false;
        tokens -= bytes;
        return true;
    }

    /**
     * The bandwidth cap on RFC 6062 connections, which cannot drop bytes: what was just read is
     * charged (the bucket may go below zero) and the reader pauses until it is back at zero.
     * Thread-safe, since a client's data connection may live on another loop than the allocation.
     * Returns the pause in nanoseconds, 0 for none.
     */
    synchronized long chargeStream(int bytes) {
        if (bandwidth <= 0) return 0;
        long now = clock.nanoTime();
        long elapsed = now - streamTokensAt;
        if (elapsed > 0) {
            streamTokens = Math.min(bandwidth, streamTokens + elapsed * bandwidth / 1_000_000_000L);
            streamTokensAt = now;
        }
        streamTokens -= bytes;
        return streamTokens >= 0 ? 0 : -streamTokens * 1_000_000_000L / bandwidth;
    }

    private void sweep() {
        long now = clock.nanoTime();
        if (closeIfExpired(now)) return;
        for (Iterator<Map.Entry<InetAddress, Long>> it = permissions.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() - now <= 0) {
                it.remove();
                metrics.permissions.decrementAndGet();
            }
        }
        dropExpiredBindings();
    }

    /**
     * Releases the relays, peer connections and table entries; {@code reason} is logged (one of
     * expired, refresh_zero, client_closed, relay_closed, no_port). Idempotent; runs on the loop.
     */
    void close(String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(reason));
            return;
        }
        if (closed) return;
        if (relayChannel != null) {
            flushRelay();
            peerReadComplete();
        }
        closed = true;
        if (expiryTimer != null) expiryTimer.cancel(false);
        if (sweepTimer != null) sweepTimer.cancel(false);
        metrics.permissions.addAndGet(-permissions.size());
        metrics.channels.addAndGet(-bindings.size());
        permissions.clear();
        bindings.clear();
        for (PeerConnection c : new ArrayList<>(peerConnections.values())) c.close();
        peerConnections.clear();
        if (relayChannel != null) {
            (tcpRelay ? metrics.tcpAllocations : metrics.udpAllocations).decrementAndGet();
            relayChannel.close();
        }
        if (relayChannelV6 != null) relayChannelV6.close();
        if (clientSocket != null) {
            // Not at once: the response to the request that ended the allocation leaves through it, and
            // datagrams already queued on it (the client's next request) are still read and answered; it
            // serves any 5-tuple like a listener socket. Closing drops what is queued at that moment.
            Channel socket = clientSocket;
            loop.schedule(() -> socket.close(), CLIENT_SOCKET_LINGER_SECONDS, TimeUnit.SECONDS);
        }
        table.remove(this);
        LOG.info("allocation {} closed: reason={} user={} client={}/{} relay={} seconds={} to_peer_packets={} to_peer_bytes={} "
                        + "to_client_packets={} to_client_bytes={}", id, reason, username, client.transport(), client.remote(),
                relayAddress, TimeUnit.NANOSECONDS.toSeconds(clock.nanoTime() - createdAt), toPeer.totalPackets, toPeer.totalBytes,
                toClient.totalPackets, toClient.totalBytes);
    }
}
