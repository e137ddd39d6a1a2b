package dev.parley.rtc;

import dev.parley.codec.stun.StunMessage;
import dev.parley.rtc.ice.IceLiteAgent;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * One UDP port shared by every media transport (ARCHITECTURE.md "SFU media"): a datagram goes
 * to its transport by ICE username (STUN, RFC 8445 §7.3) or, once ICE has chosen a pair, by
 * source address. Everything here runs on one event loop; nothing is locked.
 */
public final class UdpMux implements AutoCloseable {
    private static final int MAX_DATAGRAM = 2048;
    private static final int RECEIVE_BATCH = 32;
    /** A batch flushes early after this many datagrams, so the first ones do not wait for the whole read. */
    private static final int MAX_UNFLUSHED = 64;

    private final EventLoop loop;
    private final RtcMetrics metrics;
    private final Channel channel;
    private final Map<String, RtcTransport> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, RtcTransport> byAddress = new HashMap<>();
    /** Received datagrams are copied here: one buffer for the loop, reused for every packet. */
    private final byte[] receiveBuffer = new byte[MAX_DATAGRAM];
    /** Nesting depth of read batches: while > 0, sends are written and flushed once at the end. */
    private int batchDepth;
    private int unflushed;
    private volatile boolean dropInbound;

    public UdpMux(EventLoop loop, InetSocketAddress bind, RtcMetrics metrics) throws InterruptedException {
        this.loop = loop;
        this.metrics = metrics;
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .handler(new Inbound());
        if (Epoll.isAvailable()) {
            // recvmmsg(2): one syscall reads up to RECEIVE_BATCH datagrams into one buffer.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECEIVE_BATCH));
        }
        channel = bootstrap.bind(bind).sync().channel();
    }

    public EventLoop loop() {
        return loop;
    }

    /** The bound local port (useful with port 0). */
    public int localPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The transport whose local ICE ufrag this is (shared with the ICE-TCP listener), or null. */
    RtcTransport transportFor(String ufrag) {
        return byUfrag.get(ufrag);
    }

    void register(RtcTransport transport) {
        byUfrag.put(transport.ice().local().ufrag(), transport);
    }

    void unregister(RtcTransport transport) {
        byUfrag.remove(transport.ice().local().ufrag());
        byAddress.values().removeIf(t -> t == transport);
    }

    void bindAddress(InetSocketAddress address, RtcTransport transport) {
        RtcTransport previous = byAddress.put(address, transport);
        if (previous != null && previous != transport) {
            // A 5-tuple belongs to one transport; the newest ICE binding wins.
            previous.forgetAddress(address);
        }
    }

    /**
     * Sends a datagram; the bytes are copied, so the caller may reuse its buffer at once. Inside a
     * read batch the datagram is only queued: the batch's end flushes them all with one
     * sendmmsg(2) (Netty epoll writes every queued datagram in one call).
     */
    void send(byte[] buf, int off, int len, InetSocketAddress to) {
        ByteBuf out = channel.alloc().directBuffer(len);
        out.writeBytes(buf, off, len);
        DatagramPacket packet = new DatagramPacket(out, to);
        if (batchDepth > 0) {
            channel.write(packet, channel.voidPromise());
            if (++unflushed >= MAX_UNFLUSHED) flush();
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
        metrics.datagramsOut.increment();
        metrics.bytesOut.increment(len);
    }

    /** Starts a batch of reads whose sends are flushed together by {@link #endBatch()}; on the loop only. */
    void beginBatch() {
        batchDepth++;
    }

    /** Ends a batch; the outermost end flushes what the batch queued. */
    void endBatch() {
        if (batchDepth > 0) batchDepth--;
        if (batchDepth == 0 && unflushed > 0) flush();
    }

    private void flush() {
        unflushed = 0;
        channel.flush();
    }

    /** A path towards one address through this socket. */
    MediaPath pathTo(InetSocketAddress remote) {
        return new UdpPath(remote);
    }

    /** Test hook: drop every datagram that arrives (a firewall that blocks UDP), counted as unknown-source. */
    public void dropInboundForTest(boolean drop) {
        dropInbound = drop;
    }

    /** Number of transports reachable through this socket. */
    int transportCount() {
        return byUfrag.size();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class UdpPath implements MediaPath {
        private final InetSocketAddress remote;

        UdpPath(InetSocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            UdpMux.this.send(buf, off, len, remote);
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            metrics.datagramsIn.increment();
            metrics.bytesIn.increment(len);
            if (dropInbound) {
                metrics.unknownSource.increment();
                return;
            }
            if (batchDepth == 0) beginBatch(); // ended by channelReadComplete
            if (len == 0 || len > MAX_DATAGRAM) {
                metrics.malformed.increment();
                return;
            }
            content.getBytes(content.readerIndex(), receiveBuffer, 0, len);
            InetSocketAddress source = packet.sender();
            int first = receiveBuffer[0] & 0xFF;
            // RFC 7983 §7: 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP.
            if (first < 4) {
                onStun(source, len);
                return;
            }
            RtcTransport transport = byAddress.get(source);
            if (transport == null) {
                metrics.unknownSource.increment();
                return;
            }
            try {
                transport.onDatagram(receiveBuffer, 0, len, source);
            } catch (RuntimeException e) {
                // One transport's bad input never reaches the loop or the other transports.
                metrics.malformed.increment();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            endBatch();
        }

        private void onStun(InetSocketAddress source, int len) {
            StunMessage message = StunDemux.decode(receiveBuffer, len, metrics);
            if (message == null) return;
            String ufrag = IceLiteAgent.localUfragOf(message);
            RtcTransport transport = ufrag == null ? byAddress.get(source) : byUfrag.get(ufrag);
            if (transport == null) {
                metrics.unknownSource.increment();
                return;
            }
            transport.onStun(message, source, null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            metrics.malformed.increment();
        }
    }
}
