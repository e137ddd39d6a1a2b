package dev.parley.turn;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
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
    final ClientLink client;
    final boolean tcpRelay;
    private final boolean streamClient;
    final EventLoop loop;
    final byte[] allocateTransactionId;
    private final AllocationTable table;
    private final TurnMetrics metrics;
    private final int maxPermissions;
    private final long bandwidth;
    private final Map<InetAddress, Long> permissions = new HashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    final Map<Integer, PeerConnection> peerConnections = new HashMap<>();
    Channel relayChannel;
    InetSocketAddress relayAddress;
    byte[] integrityKey;
    boolean integritySha256;
    private long expiresAt;
    private int lifetimeSeconds;
    private ScheduledFuture<?> expiryTimer;
    private ScheduledFuture<?> sweepTimer;
    private long tokens;
    private long tokensAt;
    private boolean closed;
    // One flush per event-loop pass instead of one per packet lets epoll hand a whole batch to sendmmsg.
    private boolean clientFlushPending;
    private boolean relayFlushPending;
    private final Runnable flushClient = this::flushClient;
    private final Runnable flushRelay = this::flushRelay;

    Allocation(long id, String username, ClientLink client, boolean tcpRelay, EventLoop loop, byte[] allocateTransactionId,
               AllocationTable table, TurnMetrics metrics, int maxPermissions, long bandwidthBytesPerSecond) {
        this.id = id;
        this.username = username;
        this.client = client;
        this.tcpRelay = tcpRelay;
        this.streamClient = client instanceof ClientLink.Stream;
        this.loop = loop;
        this.allocateTransactionId = allocateTransactionId;
        this.table = table;
        this.metrics = metrics;
        this.maxPermissions = maxPermissions;
        this.bandwidth = bandwidthBytesPerSecond;
        this.tokens = bandwidthBytesPerSecond;
        this.tokensAt = System.nanoTime();
    }

    /** Called once the relay socket is bound: starts the lifetime and the periodic sweep. */
    void activate(Channel relay, InetSocketAddress advertised, int lifetimeSeconds) {
        this.relayChannel = relay;
        this.relayAddress = advertised;
        (tcpRelay ? metrics.tcpAllocations : metrics.udpAllocations).incrementAndGet();
        metrics.allocationCreated();
        refresh(lifetimeSeconds);
        sweepTimer = loop.scheduleAtFixedRate(this::sweep, 30, 30, TimeUnit.SECONDS);
        relay.closeFuture().addListener(f -> loop.execute(this::close));
        LOG.info("allocation {} created: user={} client={}/{} relay={}/{} lifetime={}s", id, username, client.transport(),
                client.remote(), tcpRelay ? "tcp" : "udp", advertised, lifetimeSeconds);
    }

    /** The lifetime granted by the last Allocate or Refresh. */
    int lifetimeSeconds() {
        return lifetimeSeconds;
    }

    boolean isClosed() {
        return closed;
    }

    /** RFC 8656 §7.3: lifetime 0 deletes; any other value restarts the timer. */
    void refresh(int lifetimeSeconds) {
        if (expiryTimer != null) expiryTimer.cancel(false);
        if (lifetimeSeconds <= 0) {
            close();
            return;
        }
        this.lifetimeSeconds = lifetimeSeconds;
        expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds);
        expiryTimer = loop.schedule(this::expire, lifetimeSeconds, TimeUnit.SECONDS);
    }

    private void expire() {
        if (!closed && System.nanoTime() - expiresAt >= 0) {
            LOG.info("allocation {} expired", id);
            close();
        }
    }

    /** RFC 8656 §9: installs or refreshes a permission for the peer's IP (port ignored). False when the table is full. */
    boolean permit(InetAddress peer) {
        sweep();
        long until = System.nanoTime() + PERMISSION_LIFETIME_NANOS;
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
        Long until = permissions.get(peer);
        return until != null && until - System.nanoTime() > 0;
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

    /** RFC 8656 §11.2: binds (or refreshes) channel ↔ peer; the caller has checked for conflicts. */
    boolean bindChannel(int number, InetSocketAddress peer) {
        Binding b = bindingByNumber(number);
        long until = System.nanoTime() + CHANNEL_LIFETIME_NANOS;
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

    /** Peer → client on a UDP relay: ChannelData when a channel is bound, else a Data indication (RFC 8656 §11.3, §12.4). */
    void fromPeer(DatagramPacket packet) {
        InetSocketAddress peer = packet.sender();
        if (closed || !hasPermission(peer.getAddress())) {
            metrics.dropped("no_permission");
            return;
        }
        ByteBuf data = packet.content();
        int length = data.readableBytes();
        if (!takeTokens(length)) {
            metrics.dropped("bandwidth");
            return;
        }
        Binding b = bindingByPeer(peer);
        if (b != null && b.expiresAt - System.nanoTime() > 0) {
            client.sendChannelData(b.number, data, data.readerIndex(), length);
            if (streamClient) {
                // one TLS record / TCP write per message: some clients (coturn's uclient) read one message per read
                client.channel().flush();
            } else if (!clientFlushPending) {
                clientFlushPending = true;
                loop.execute(flushClient);
            }
        } else {
            byte[] payload = ByteBufUtil.getBytes(data);
            client.send(StunMessageBuilder.create(MessageType.indication(StunMethod.DATA))
                    .addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)
                    .add(AttributeType.DATA, payload)
                    .build());
        }
        metrics.packetsToClient.increment();
        metrics.bytesToClient.increment(length);
    }

    /** Client → peer from ChannelData; {@code frame} is not consumed. */
    void fromClientChannel(int number, ByteBuf frame, int dataOffset, int length) {
        Binding b = bindingByNumber(number);
        if (closed || b == null || b.expiresAt - System.nanoTime() <= 0) {
            metrics.dropped("no_channel");
            return;
        }
        sendToPeer(b.peer, frame.retainedSlice(dataOffset, length));
    }

    /** Client → peer; takes ownership of {@code payload}. */
    void sendToPeer(InetSocketAddress peer, ByteBuf payload) {
        int length = payload.readableBytes();
        if (closed || tcpRelay || !hasPermission(peer.getAddress())) {
            payload.release();
            metrics.dropped("no_permission");
            return;
        }
        if (!takeTokens(length)) {
            payload.release();
            metrics.dropped("bandwidth");
            return;
        }
        relayChannel.write(new DatagramPacket(payload, peer), relayChannel.voidPromise());
        if (!relayFlushPending) {
            relayFlushPending = true;
            loop.execute(flushRelay);
        }
        metrics.packetsToPeer.increment();
        metrics.bytesToPeer.increment(length);
    }

    private void flushClient() {
        clientFlushPending = false;
        client.channel().flush();
    }

    private void flushRelay() {
        relayFlushPending = false;
        if (relayChannel != null) relayChannel.flush();
    }

    /** Token bucket, one second of burst; no allocation. */
    private boolean takeTokens(int bytes) {
        if (bandwidth <= 0) return true;
        long now = System.nanoTime();
        long elapsed = now - tokensAt;
        if (elapsed > 0) {
            tokens = Math.min(bandwidth, tokens + elapsed * bandwidth / 1_000_000_000L);
            tokensAt = now;
        }
        if (tokens < bytes) return false;
        tokens -= bytes;
        return true;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<InetAddress, Long>> it = permissions.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() - now <= 0) {
                it.remove();
                metrics.permissions.decrementAndGet();
            }
        }
        for (Iterator<Binding> it = bindings.iterator(); it.hasNext(); ) {
            if (it.next().expiresAt - now <= 0) {
                it.remove();
                metrics.channels.decrementAndGet();
            }
        }
    }

    /** Releases the relay, peer connections and table entries. Idempotent; runs on the loop. */
    void close() {
        if (!loop.inEventLoop()) {
            loop.execute(this::close);
            return;
        }
        if (closed) return;
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
        table.remove(this);
        LOG.info("allocation {} closed", id);
    }
}
