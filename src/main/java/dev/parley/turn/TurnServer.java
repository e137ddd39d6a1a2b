package dev.parley.turn;

import dev.parley.rtc.tls.TlsIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in STUN/TURN server (RFC 8489, RFC 8656, RFC 6062): UDP, TCP and TLS listeners on
 * Netty, one event loop per core. {@code new TurnServer(settings, registry).start()}, then
 * {@link #close()}; the bound ports are readable after start (useful with port 0 in tests).
 */
public final class TurnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TurnServer.class);

    private final TurnSettings settings;
    private final TlsIdentity tlsIdentity;
    private volatile SslContext tlsContext;
    private final TurnMetrics metrics;
    private final TurnClock clock;
    private final List<Channel> listeners = new ArrayList<>();
    private final AtomicInteger streamConnections = new AtomicInteger();
    private EventLoopGroup group;
    private TurnProtocol protocol;
    private int udpPort = -1;
    private int tcpPort = -1;
    private int tlsPort = -1;
    private boolean closed;

    public TurnServer(TurnSettings settings, MeterRegistry registry) {
        this(settings, registry, TurnClock.SYSTEM, null);
    }

    /**
     * With the identity the turns: listener presents when the settings name no PEM files (the
     * process's HTTPS certificate); null means a generated self-signed dev certificate.
     */
    public TurnServer(TurnSettings settings, MeterRegistry registry, TlsIdentity tlsIdentity) {
        this(settings, registry, TurnClock.SYSTEM, tlsIdentity);
    }

    /** With the clock lifetimes are measured on; tests pass one they advance by hand. */
    TurnServer(TurnSettings settings, MeterRegistry registry, TurnClock clock) {
        this(settings, registry, clock, null);
    }

    private TurnServer(TurnSettings settings, MeterRegistry registry, TurnClock clock, TlsIdentity tlsIdentity) {
        this.settings = settings;
        this.tlsIdentity = tlsIdentity;
        this.metrics = new TurnMetrics(registry);
        this.clock = clock;
    }

    /** Binds every enabled listener; throws if one cannot be bound (and releases what was bound). */
    public synchronized void start() throws Exception {
        if (group != null) throw new IllegalStateException("already started");
        int threads = settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors();
        group = Transports.group(threads, "parley-turn");
        try {
            InetAddress listen = InetAddress.getByName(settings.listenAddress());
            InetAddress relayBind = InetAddress.getByName(settings.relayAddress());
            InetAddress relayBindV6 = settings.relayAddressV6() == null ? null : InetAddress.getByName(settings.relayAddressV6());
            InetAddress advertised = advertisedAddress(listen, relayBind);
            InetAddress advertisedV6 = relayBindV6 == null ? null : advertisedV6(relayBindV6);
            protocol = new TurnProtocol(settings, new Authenticator(settings, new Nonces()),
                    new AllocationTable(settings.maxAllocations(), settings.maxAllocationsPerUser()),
                    new PeerAddressPolicy(settings.allowedPeers(), settings.deniedPeers()), metrics,
                    relayBind, relayBindV6, advertised, advertisedV6, clock);
            if (settings.udpPort() >= 0) {
                udpPort = bindUdp(listen, settings.udpPort(), threads);
                // a connected socket must carry the address the client sent to (a wildcard listener learns it per datagram)
                if (Transports.EPOLL) {
                    protocol.connectUdpClients(group, listen.isAnyLocalAddress() ? null : new InetSocketAddress(listen, udpPort));
                }
            }
            if (settings.tcpPort() >= 0) tcpPort = bindStream(listen, settings.tcpPort(), null);
            if (settings.tlsPort() >= 0) {
                tlsContext = TlsContexts.forServer(settings, tlsIdentity);
                tlsPort = bindStream(listen, settings.tlsPort(), () -> tlsContext);
            }
            LOG.info("TURN listening on {} udp={} tcp={} tls={} relay={} ({}-{}) advertised={} transport={} loops={}",
                    listen.getHostAddress(), udpPort, tcpPort, tlsPort, relayBind.getHostAddress(), settings.relayPortMin(),
                    settings.relayPortMax(), advertised.getHostAddress(), Transports.EPOLL ? "epoll" : "nio", threads);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private int bindUdp(InetAddress listen, int port, int threads) throws InterruptedException {
        Bootstrap b = Transports.datagramOptions(new Bootstrap().group(group).channelFactory(Transports.datagram(listen))
                .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20));
        // with epoll: one socket per loop on the same port, the kernel spreads clients by 5-tuple
        int sockets = Transports.EPOLL ? threads : 1;
        if (Transports.EPOLL) b.option(EpollChannelOption.SO_REUSEPORT, true);
        if (Transports.EPOLL && listen.isAnyLocalAddress()) b.option(EpollChannelOption.IP_RECVORIGDSTADDR, true);
        int bound = port;
        for (int i = 0; i < sockets; i++) {
            // one handler per socket: it keeps the read batch's unflushed relays, confined to that socket's loop
            Channel ch = b.handler(new UdpListenerHandler(protocol)).bind(listen, bound).sync().channel();
            listeners.add(ch);
            bound = ((InetSocketAddress) ch.localAddress()).getPort();
        }
        return bound;
    }

    /** @param tls the context for each new connection (it changes on {@link #reloadTls}); null for plain TCP */
    private int bindStream(InetAddress listen, int port, Supplier<SslContext> tls) throws InterruptedException {
        int maxConnections = Math.max(1024, settings.maxAllocations() * 2);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(Transports.server())
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transports.streamReads())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (streamConnections.incrementAndGet() > maxConnections) {
                            streamConnections.decrementAndGet();
                            ch.close();
                            return;
                        }
                        if (tls != null) ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
                        ch.pipeline().addLast("framer", new StreamFramer(settings.rfc5766ChannelNumbers()));
                        ch.pipeline().addLast("turn", new StreamClientHandler(protocol, streamConnections, tls != null));
                    }
                });
        Channel ch = b.bind(listen, port).sync().channel();
        listeners.add(ch);
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * The address put in XOR-RELAYED-ADDRESS: the configured external IP, else the relay bind
     * address, else the listen address, else the first non-loopback IPv4 address of the host.
     */
    private InetAddress advertisedAddress(InetAddress listen, InetAddress relayBind) throws UnknownHostException, SocketException {
        if (settings.externalIp() != null) return InetAddress.getByName(settings.externalIp());
        if (!relayBind.isAnyLocalAddress()) return relayBind;
        if (!listen.isAnyLocalAddress()) return listen;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                // the same rule as the SFU's announced address, so both hand out one address
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a;
            }
        }
        return InetAddress.getLoopbackAddress();
    }

    /**
     * The address put in an IPv6 XOR-RELAYED-ADDRESS: the IPv6 relay bind address, or with {@code ::}
     * the host's first IPv6 address that is neither loopback nor link-local. IPv6 needs no NAT
     * mapping, so the IPv4 external IP never applies to it.
     */
    private static InetAddress advertisedV6(InetAddress relayBindV6) throws SocketException {
        if (!(relayBindV6 instanceof Inet6Address)) {
            throw new IllegalArgumentException("IPv6 relay address " + relayBindV6.getHostAddress() + " is not IPv6");
        }
        if (!relayBindV6.isAnyLocalAddress()) return relayBindV6;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet6Address && !a.isLinkLocalAddress() && !a.isLoopbackAddress()) return a;
            }
        }
        throw new IllegalStateException("IPv6 relays on :: but the host has no routable IPv6 address; set the IPv6 relay address");
    }

    /** The allocation table, for tests in this package. */
    AllocationTable allocations() {
        return protocol.table();
    }

    /** Bound UDP port, or -1 when the UDP listener is disabled or not started. */
    public int udpPort() {
        return udpPort;
    }

    /** Bound TCP port, or -1. */
    public int tcpPort() {
        return tcpPort;
    }

    /**
     * Presents {@code identity} on turns: connections from now on (a renewed certificate); open
     * connections keep the one they were made with.
     */
    public void reloadTls(TlsIdentity identity) {
        if (tlsPort < 0) return;
        try {
            tlsContext = TlsContexts.forIdentity(identity);
        } catch (SSLException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Bound TLS port, or -1. */
    public int tlsPort() {
        return tlsPort;
    }

    /**
     * The RTCIceServer URLs clients should use to reach this server at {@code publicHost} (a DNS
     * name or IP literal; IPv6 in brackets): {@code stun:}, {@code turn:} over UDP and TCP, and
     * {@code turns:} for each enabled listener, with the bound ports. Credentials come from
     * {@link TurnCredentials}.
     */
    public List<String> iceUrls(String publicHost) {
        List<String> urls = new ArrayList<>();
        if (udpPort > 0) urls.add("stun:" + publicHost + ":" + udpPort);
        if (udpPort > 0) urls.add("turn:" + publicHost + ":" + udpPort + "?transport=udp");
        if (tcpPort > 0) urls.add("turn:" + publicHost + ":" + tcpPort + "?transport=tcp");
        if (tlsPort > 0) urls.add("turns:" + publicHost + ":" + tlsPort + "?transport=tcp");
        return List.copyOf(urls);
    }

    /** Closes every listener, relay and allocation. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Channel ch : listeners) ch.close().awaitUninterruptibly();
        if (group != null) group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        LOG.info("TURN stopped");
    }
}
