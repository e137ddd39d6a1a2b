package dev.parley.turn;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Native epoll where the platform has it, NIO otherwise; the relay path's socket options. */
final class Transports {
    static final boolean EPOLL = Epoll.isAvailable();
    /**
     * Largest datagram the UDP sockets receive whole. Larger ones are dropped (counted as
     * {@code too_large}): they cannot be WebRTC traffic, which stays under the path MTU.
     */
    static final int MAX_DATAGRAM = 4096;
    /** Datagrams one recvmmsg call may return (epoll only). */
    static final int DATAGRAMS_PER_READ = 16;

    private Transports() {
    }

    static EventLoopGroup group(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * Options of every TURN UDP socket (listeners and relays): pooled direct buffers, and with
     * epoll recvmmsg into one buffer of {@link #DATAGRAMS_PER_READ} slots (one syscall per batch
     * instead of one per datagram). A slot holds {@link #MAX_DATAGRAM} bytes; a datagram that fills
     * its slot may have been truncated and is dropped by {@link #truncated}.
     */
    static <B extends AbstractBootstrap<B, ?>> B datagramOptions(B bootstrap) {
        bootstrap.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        if (EPOLL) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        return bootstrap;
    }

    /**
     * Read buffers of TCP/TLS connections (client connections, RFC 6062 peer and data connections)
     * never shrink below 2 KiB: Netty's default adaptive guess drops to 64 bytes after a run of
     * small reads and would then cut relayed streams into pieces smaller than the sender wrote.
     */
    static RecvByteBufAllocator streamReads() {
        return new AdaptiveRecvByteBufAllocator(2048, 16384, 65536);
    }

    /** Whether a received datagram filled its whole buffer slot, i.e. may have been cut short. */
    static boolean truncated(int length) {
        return length >= MAX_DATAGRAM;
    }

    /**
     * UDP sockets for {@code local}: with epoll an IPv4 socket (AF_INET) when it is a specific IPv4
     * address, so the kernel skips the IPv4-mapped IPv6 path on every send and receive. Wildcard and
     * IPv6 addresses keep Netty's dual-stack IPv6 socket (0.0.0.0 binds {@code ::} there, which also
     * hears IPv6 clients).
     */
    static ChannelFactory<DatagramChannel> datagram(InetAddress local) {
        if (EPOLL && local instanceof Inet4Address && !local.isAnyLocalAddress()) {
            return () -> new EpollDatagramChannel(SocketProtocolFamily.INET);
        }
        return EPOLL ? EpollDatagramChannel::new : NioDatagramChannel::new;
    }

    static Class<? extends ServerSocketChannel> server() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socket() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
