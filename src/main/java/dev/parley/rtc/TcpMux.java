package dev.parley.rtc;

import dev.parley.codec.stun.StunMessage;
import dev.parley.rtc.ice.IceLiteAgent;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * ICE-TCP for clients that cannot use UDP (RFC 6544): every transport also has a passive TCP
 * candidate on this one port. Each connection carries RFC 4571 frames (a 2-byte big-endian
 * length, then one STUN, DTLS or SRTP packet); its first Binding request names the transport by
 * ICE username, as on the UDP port, and from then on the connection belongs to that transport.
 * Runs on the UDP mux's event loop, so transports stay confined to one thread.
 */
public final class TcpMux implements AutoCloseable {
    /** RFC 4571 §2: the length field is 16 bits. */
    private static final int MAX_FRAME = 65_535;
    /** Media packets are datagram-sized; a longer frame is dropped like an oversized datagram. */
    private static final int MAX_PACKET = UdpMux.MAX_DATAGRAM;
    /** A connection that has not sent a valid Binding request by then is closed. */
    private static final long BIND_TIMEOUT_SECONDS = 10;
    /** Open connections (checked or not) beyond which new ones are closed at once: every table is capped. */
    static final int MAX_CONNECTIONS = 4096;
    /** Outbound bytes queued on one connection beyond which media is dropped rather than buffered. */
    private static final int MAX_QUEUED_BYTES = 1 << 20;

    private final UdpMux udp;
    private final RtcMetrics metrics;
    private final Channel server;
    /** Frames are copied here, as datagrams are on the UDP port: one buffer for the loop. */
    private final byte[] receiveBuffer = new byte[MAX_PACKET];
    /** Connections open now; only touched on the loop (acceptor and children share it). */
    private int open;

    public TcpMux(UdpMux udp, InetSocketAddress bind, RtcMetrics metrics) throws InterruptedException {
        this.udp = udp;
        this.metrics = metrics;
        EventLoop loop = udp.loop();
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop, loop)
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_SNDBUF, 1024 * 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(MAX_QUEUED_BYTES / 2, MAX_QUEUED_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open >= MAX_CONNECTIONS) {
                            metrics.tcpRefused.increment();
                            ch.close();
                            return;
                        }
                        open++;
                        ch.closeFuture().addListener(f -> open--);
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME + 2, 0, 2, 0, 2), new Connection(ch));
                    }
                });
        server = bootstrap.bind(bind).sync().channel();
    }

    /** The bound local port (useful with port 0). */
    public int localPort() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    /** One ICE-TCP connection: unbound until its first valid Binding request, then one transport's path. */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> implements MediaPath {
        private final SocketChannel channel;
        private RtcTransport transport;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                if (transport == null) ctx.close();
            }, BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            int len = frame.readableBytes();
            metrics.datagramsIn.increment();
            metrics.bytesIn.increment(len);
            if (len == 0 || len > MAX_PACKET) {
                metrics.malformed.increment();
                return;
            }
            frame.getBytes(frame.readerIndex(), receiveBuffer, 0, len);
            InetSocketAddress source = channel.remoteAddress();
            udp.beginBatch(); // a publisher on TCP fans out to subscribers on UDP: flush once per read
            try {
                if ((receiveBuffer[0] & 0xFF) < 4) {
                    onStun(source, len);
                } else if (transport == null) {
                    metrics.unknownSource.increment();
                } else if (transport.isClosed()) {
                    metrics.unknownSource.increment();
                    ctx.close(); // the transport is gone (left, consent lost): so is its connection
                } else {
                    transport.onDatagram(receiveBuffer, 0, len, source);
                }
            } catch (RuntimeException e) {
                // One connection's bad input never reaches the loop or the other transports.
                metrics.malformed.increment();
            } finally {
                udp.endBatch();
            }
        }

        private void onStun(InetSocketAddress source, int len) {
            StunMessage message = StunDemux.decode(receiveBuffer, len, metrics);
            if (message == null) return;
            String ufrag = IceLiteAgent.localUfragOf(message);
            RtcTransport target = ufrag == null ? transport : udp.transportFor(ufrag);
            if (target == null || (transport != null && target != transport)) {
                // RFC 6544 §7.1: a connection serves one pair; checks for another transport are dropped.
                metrics.unknownSource.increment();
                return;
            }
            // Bound only once a check has passed MESSAGE-INTEGRITY: knowing a ufrag is not enough
            // to have DTLS or SRTP delivered to a transport.
            if (target.onStun(message, source, this)) transport = target;
        }

        /** RFC 4571 §2 framing: length, then the packet; dropped (not queued) when the peer reads too slowly. */
        @Override
        public void send(byte[] buf, int off, int len) {
            if (!channel.isActive()) {
                metrics.tcpClosed.increment();
                return;
            }
            if (!channel.isWritable()) {
                metrics.tcpCongested.increment();
                return;
            }
            ByteBuf out = channel.alloc().directBuffer(len + 2);
            out.writeShort(len);
            out.writeBytes(buf, off, len);
            channel.writeAndFlush(out, channel.voidPromise());
            metrics.datagramsOut.increment();
            metrics.bytesOut.increment(len);
        }

        @Override
        public String protocol() {
            return "tcp";
        }

        @Override
        public InetSocketAddress remote() {
            return channel.remoteAddress();
        }

        @Override
        public void close() {
            channel.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (transport != null) transport.pathClosed(this);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset is how clients often leave; anything else here is a framing error.
            if (!(cause instanceof IOException)) metrics.malformed.increment();
            ctx.close();
        }
    }
}
