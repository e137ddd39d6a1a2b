package dev.parley.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6062 §5: one TCP connection between a relayed transport address and a peer. It waits
 * (reads paused) for the client's ConnectionBind on a new data connection, then the two TCP
 * connections are spliced byte for byte. Unbound connections are closed after 30 seconds (§5.3).
 */
final class PeerConnection {
    static final long BIND_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    final Allocation allocation;
    final Channel peer;
    final InetSocketAddress peerAddress;
    final TurnMetrics metrics;
    private final AllocationTable table;
    int connectionId;
    private ScheduledFuture<?> bindTimer;
    private volatile Channel data;

    PeerConnection(Allocation allocation, Channel peer, AllocationTable table, TurnMetrics metrics) {
        this.allocation = allocation;
        this.peer = peer;
        this.peerAddress = (InetSocketAddress) peer.remoteAddress();
        this.table = table;
        this.metrics = metrics;
        metrics.peerConnections.incrementAndGet();
        peer.closeFuture().addListener(f -> {
            metrics.peerConnections.decrementAndGet();
            close();
        });
    }

    /** Registers the connection id and starts the ConnectionBind timer. Runs on the allocation loop. */
    int register(java.util.function.IntSupplier random) {
        connectionId = table.registerConnection(this, random);
        allocation.peerConnections.put(connectionId, this);
        bindTimer = allocation.loop.schedule(() -> {
            if (data == null) {
                LOG.debug("allocation {} connection {} not bound in time", allocation.id, connectionId);
                close();
            }
        }, BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return connectionId;
    }

    /** Splices the client's data connection to the peer; called by the ConnectionBind winner. */
    void bind(Channel dataChannel) {
        this.data = dataChannel;
        if (bindTimer != null) bindTimer.cancel(false);
        Splice toPeer = new Splice(peer, true);
        Splice toClient = new Splice(dataChannel, false);
        toPeer.partner = toClient;
        toClient.partner = toPeer;
        dataChannel.pipeline().addLast("splice", toPeer);
        peer.pipeline().addLast("splice", toClient);
        dataChannel.closeFuture().addListener(f -> peer.close());
        peer.config().setAutoRead(true);
        LOG.info("allocation {} connection {} bound to peer {}", allocation.id, connectionId, peerAddress);
    }

    void close() {
        table.forgetConnection(connectionId, this);
        if (allocation.loop.inEventLoop()) {
            allocation.peerConnections.remove(connectionId, this);
        } else {
            allocation.loop.execute(() -> allocation.peerConnections.remove(connectionId, this));
        }
        peer.close();
        Channel d = data;
        if (d != null) d.close();
    }

    /**
     * Copies bytes to the other connection, pausing reads while the other side cannot keep up.
     * Everything read in one batch leaves in one flush: bytes that arrived together are sent
     * together, and the relay never cuts the stream at a boundary the sender did not make (within
     * a batch). TCP owes no one message boundaries, but clients that read one message per
     * read() (coturn's uclient in {@code -T} mode counts such reads) lose count when it does.
     */
    private final class Splice extends ChannelInboundHandlerAdapter {
        private final Channel other;
        private final boolean toPeer;
        private boolean unflushed;
        /** The splice of the opposite direction (reading from {@link #other}). */
        Splice partner;
        /** Reads paused by the bandwidth cap: draining the other side must not resume them early. */
        private volatile boolean throttled;

        Splice(Channel other, boolean toPeer) {
            this.other = other;
            this.toPeer = toPeer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            int n = msg instanceof ByteBuf buf ? buf.readableBytes() : 0;
            (toPeer ? metrics.bytesToPeer : metrics.bytesToClient).increment(n);
            (toPeer ? metrics.packetsToPeer : metrics.packetsToClient).increment();
            other.write(msg).addListener(f -> {
                if (!f.isSuccess()) ctx.close();
            });
            unflushed = true;
            if (!other.isWritable()) {
                other.flush();
                unflushed = false;
                ctx.channel().config().setAutoRead(false);
            }
            long pause = allocation.chargeStream(n);
            if (pause > 0 && !throttled) {
                throttled = true;
                metrics.streamThrottled.increment();
                ctx.channel().config().setAutoRead(false);
                ctx.executor().schedule(() -> {
                    throttled = false;
                    if (other.isWritable()) ctx.channel().config().setAutoRead(true);
                }, pause, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (unflushed) {
                unflushed = false;
                other.flush();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // our channel drained: let the other side read again
            if (ctx.channel().isWritable() && !partner.throttled) other.config().setAutoRead(true);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
