package dev.parley.turn;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.ErrorCode;
import dev.parley.codec.stun.Fingerprint;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import dev.parley.codec.stun.StunParseException;
import dev.parley.codec.stun.TurnAttributes;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STUN/TURN request logic of RFC 8489 (Binding), RFC 8656 (Allocate, Refresh, CreatePermission,
 * ChannelBind, Send) and RFC 6062 (Connect, ConnectionBind, ConnectionAttempt), independent of the
 * listener a message came in on.
 */
final class TurnProtocol {
    static final int DEFAULT_LIFETIME = 600;
    static final int MAX_LIFETIME = 3600;
    static final long RESERVATION_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(TurnProtocol.class);
    private static final Set<Integer> KNOWN = Set.of(AttributeType.MAPPED_ADDRESS, AttributeType.USERNAME,
            AttributeType.MESSAGE_INTEGRITY, AttributeType.ERROR_CODE, AttributeType.UNKNOWN_ATTRIBUTES, AttributeType.REALM,
            AttributeType.NONCE, AttributeType.MESSAGE_INTEGRITY_SHA256, AttributeType.PASSWORD_ALGORITHM,
            AttributeType.XOR_MAPPED_ADDRESS, AttributeType.CHANNEL_NUMBER, AttributeType.LIFETIME, AttributeType.XOR_PEER_ADDRESS,
            AttributeType.DATA, AttributeType.XOR_RELAYED_ADDRESS, AttributeType.REQUESTED_ADDRESS_FAMILY, AttributeType.EVEN_PORT,
            AttributeType.REQUESTED_TRANSPORT, AttributeType.DONT_FRAGMENT, AttributeType.RESERVATION_TOKEN,
            AttributeType.CONNECTION_ID, AttributeType.PRIORITY, AttributeType.USE_CANDIDATE, AttributeType.ADDITIONAL_ADDRESS_FAMILY);

    private final TurnSettings settings;
    private final Authenticator auth;
    private final AllocationTable table;
    private final PeerAddressPolicy policy;
    private final TurnMetrics metrics;
    private final RelayPorts ports;
    private final InetAddress relayBind;
    private final InetAddress relayBindV6;
    private final InetAddress advertised;
    private final InetAddress advertisedV6;
    private final TurnClock clock;
    private final SecureRandom random = new SecureRandom();
    /** Set by {@link #connectUdpClients}: loops UDP allocations are spread over, and the listener address. */
    private volatile EventLoopGroup udpLoops;
    private volatile InetSocketAddress udpListenAddress;

    TurnProtocol(TurnSettings settings, Authenticator auth, AllocationTable table, PeerAddressPolicy policy, TurnMetrics metrics,
                 InetAddress relayBind, InetAddress relayBindV6, InetAddress advertised, InetAddress advertisedV6, TurnClock clock) {
        this.settings = settings;
        this.auth = auth;
        this.table = table;
        this.policy = policy;
        this.metrics = metrics;
        this.ports = new RelayPorts(settings.relayPortMin(), settings.relayPortMax());
        this.relayBind = relayBind;
        this.relayBindV6 = relayBindV6;
        this.advertised = advertised;
        this.advertisedV6 = advertisedV6;
        this.clock = clock;
    }

    TurnMetrics metrics() {
        return metrics;
    }

    /**
     * Spreads UDP allocations round robin over {@code loops} and gives each a socket connected to its
     * client on its own loop (coturn does the same), so cores are used evenly however the kernel hashes
     * clients onto the SO_REUSEPORT listener sockets. Needs epoll. The connected socket binds the address
     * the client sent its Allocate to: the listen address, or with a wildcard listener (null here) the
     * destination the kernel reported (IP_RECVORIGDSTADDR), so replies leave from the address the client knows.
     */
    void connectUdpClients(EventLoopGroup loops, InetSocketAddress listenAddress) {
        this.udpListenAddress = listenAddress;
        this.udpLoops = loops;
    }

    boolean rfc5766Channels() {
        return settings.rfc5766ChannelNumbers();
    }

    AllocationTable table() {
        return table;
    }

    /** Entry point for every decoded STUN message from a client. Runs on the link's event loop. */
    void handle(ClientLink link, StunMessage message) {
        // RFC 8489 §14.7: a FINGERPRINT that does not match means this is not (intact) STUN
        if (Fingerprint.isPresent(message) && !Fingerprint.check(message)) return;
        metrics.request(message.method());
        StunClass c = message.stunClass();
        if (c == StunClass.INDICATION) {
            if (message.method() == StunMethod.SEND) onSend(link, message);
            return;
        }
        if (c != StunClass.REQUEST) return;
        if (message.method() == StunMethod.BINDING) {
            onBinding(link, message);
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        Authenticator.Result result = auth.authenticate(message, link.remote().getAddress(), now);
        if (!result.ok()) {
            metrics.authFailure(result.failure());
            switch (result.failure()) {
                case BAD_REQUEST -> error(link, message, ErrorCode.BAD_REQUEST, null);
                case STALE_NONCE -> challenge(link, message, ErrorCode.STALE_NONCE, now);
                default -> challenge(link, message, ErrorCode.UNAUTHORIZED, now);
            }
            return;
        }
        List<Integer> unknown = message.unknownComprehensionRequired(KNOWN::contains);
        if (!unknown.isEmpty()) {
            byte[] value = new byte[unknown.size() * 2];
            for (int i = 0; i < unknown.size(); i++) {
                value[2 * i] = (byte) (unknown.get(i) >> 8);
                value[2 * i + 1] = (byte) (int) unknown.get(i);
            }
            metrics.error(420);
            respond(link, message, StunMessageBuilder.errorResponse(message, ErrorCode.UNKNOWN_ATTRIBUTE)
                    .add(AttributeType.UNKNOWN_ATTRIBUTES, value), result);
            return;
        }
        Allocation found = table.find(link);
        if (found != null && !found.loop.inEventLoop()) {
            found.loop.execute(() -> dispatch(link, message, result, found));
        } else {
            dispatch(link, message, result, found);
        }
    }

    /** Runs on the allocation's loop when there is one. */
    private void dispatch(ClientLink link, StunMessage message, Authenticator.Result result, Allocation found) {
        // RFC 8656 §7: an allocation past its lifetime no longer exists (Refresh gets 437, Allocate starts afresh)
        Allocation existing = found != null && found.closeIfExpired(clock.nanoTime()) ? null : found;
        if (existing != null && !existing.username.equals(result.username())) {
            // RFC 8656 §5: same 5-tuple, different credentials
            metrics.wrongCredentials();
            error(link, message, ErrorCode.WRONG_CREDENTIALS, result);
            return;
        }
        try {
            switch (message.method()) {
                case StunMethod.ALLOCATE -> onAllocate(link, message, result, existing);
                case StunMethod.REFRESH -> onRefresh(link, message, result, existing);
                case StunMethod.CREATE_PERMISSION -> onCreatePermission(link, message, result, existing);
                case StunMethod.CHANNEL_BIND -> onChannelBind(link, message, result, existing);
                case StunMethod.CONNECT -> onConnect(link, message, result, existing);
                case StunMethod.CONNECTION_BIND -> onConnectionBind(link, message, result, existing);
                default -> error(link, message, ErrorCode.BAD_REQUEST, result);
            }
        } catch (StunParseException e) {
            error(link, message, ErrorCode.BAD_REQUEST, result);
        }
    }

    // RFC 8489 §10.1.2 / §14.2: Binding success carries XOR-MAPPED-ADDRESS; no authentication for STUN.
    private void onBinding(ClientLink link, StunMessage request) {
        StunMessageBuilder b = StunMessageBuilder.successResponse(request)
                .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, link.remote());
        respond(link, request, b, null);
    }

    // RFC 8656 §7.2
    private void onAllocate(ClientLink link, StunMessage request, Authenticator.Result result, Allocation existing)
            throws StunParseException {
        if (existing != null) {
            if (request.hasTransactionId(existing.allocateTransactionId)) {
                if (existing.relayAddress != null && (existing.additionalFamily != Allocation.ADDITIONAL_V6
                        || existing.relayAddressV6 != null)) {
                    respondAllocated(existing, request, result, existing.lifetimeSeconds(), null);
                }
                return; // still binding: the response is on its way
            }
            error(link, request, ErrorCode.ALLOCATION_MISMATCH, result);
            return;
        }
        OptionalInt transport = TurnAttributes.requestedTransport(request);
        if (transport.isEmpty()) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        boolean tcp;
        if (transport.getAsInt() == TurnAttributes.TRANSPORT_UDP) {
            tcp = false;
        } else if (transport.getAsInt() == TurnAttributes.TRANSPORT_TCP) {
            // RFC 6062 §5.1: TCP relays only for clients on TCP/TLS
            if (!(link instanceof ClientLink.Stream)) {
                error(link, request, ErrorCode.BAD_REQUEST, result);
                return;
            }
            tcp = true;
        } else {
            error(link, request, ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL, result);
            return;
        }
        OptionalInt evenPort = TurnAttributes.evenPort(request);
        boolean token = request.has(AttributeType.RESERVATION_TOKEN);
        OptionalInt family = TurnAttributes.requestedAddressFamily(request);
        OptionalInt additional = additionalAddressFamily(request);
        // RFC 8656 §7.2: ADDITIONAL-ADDRESS-FAMILY only asks for IPv6 next to IPv4, never with REQUESTED-ADDRESS-FAMILY
        // or a RESERVATION-TOKEN; a TCP relay (RFC 6062) has one address
        boolean badAdditional = additional.isPresent() && (family.isPresent() || token || tcp
                || additional.getAsInt() != TurnAttributes.FAMILY_IPV6);
        if (token && (evenPort.isPresent() || family.isPresent()) || tcp && evenPort.isPresent() || badAdditional) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        InetAddress bind;
        if (family.isEmpty() || family.getAsInt() == TurnAttributes.FAMILY_IPV4) {
            bind = relayBind;
        } else if (family.getAsInt() == TurnAttributes.FAMILY_IPV6 && relayBindV6 != null) {
            bind = relayBindV6;
        } else {
            error(link, request, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, result);
            return;
        }
        switch (table.reserve(result.username())) {
            case USER_QUOTA -> {
                error(link, request, ErrorCode.ALLOCATION_QUOTA_REACHED, result);
                return;
            }
            case CAPACITY -> {
                error(link, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
                return;
            }
            case OK -> {
            }
        }
        Reservation reservation = null;
        if (token) {
            byte[] value = request.value(AttributeType.RESERVATION_TOKEN);
            reservation = value == null || value.length != 8 ? null : table.claimReservation(java.util.HexFormat.of().formatHex(value));
            if (reservation == null) {
                // RFC 8656 §7.2: an unknown or expired token is 508
                table.release(result.username());
                error(link, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
                return;
            }
            bind = reservation.bind();
        }
        int lifetime = lifetimeFor(request, true);
        EventLoopGroup loops = udpLoops;
        EventLoop loop = loops != null && link instanceof ClientLink.Udp ? loops.next() : link.channel().eventLoop();
        Allocation allocation = new Allocation(table.nextId(), result.username(), link, tcp, loop, request.transactionId(),
                table, metrics, clock, settings.maxPermissionsPerAllocation(), settings.bandwidthBytesPerSecond());
        allocation.integrityKey = result.key();
        allocation.integritySha256 = result.sha256();
        if (additional.isPresent()) {
            // RFC 8656 §7.2: without IPv6 relays the IPv4 allocation still succeeds, with ADDRESS-ERROR-CODE 440
            allocation.additionalFamily = relayBindV6 != null ? Allocation.ADDITIONAL_V6 : Allocation.ADDITIONAL_REFUSED;
        }
        if (!table.register(allocation)) {
            table.release(result.username());
            if (reservation != null) reservation.placeholder().close();
            error(link, request, ErrorCode.ALLOCATION_MISMATCH, result);
            return;
        }
        boolean reserveNext = evenPort.isPresent() && evenPort.getAsInt() == 1;
        if (reservation != null) {
            Reservation claimed = reservation;
            // hand the reserved port over: release the placeholder socket, then bind the relay to that port
            claimed.placeholder().close().addListener(f -> bindRelay(allocation, claimed.bind(), false, claimed.port(), false, 1,
                    request, result, lifetime));
        } else {
            bindRelay(allocation, bind, evenPort.isPresent(), -1, reserveNext, ports.attempts(), request, result, lifetime);
        }
    }

    /** RFC 8656 §7.2 EVEN-PORT with R: the odd port above a relay, held for a later Allocate with the token. */
    record Reservation(int port, InetAddress bind, Channel placeholder) {
    }

    private void bindRelay(Allocation allocation, InetAddress bind, boolean even, int fixedPort, boolean reserveNext,
                           int attemptsLeft, StunMessage request, Authenticator.Result result, int lifetime) {
        int port = fixedPort > 0 ? fixedPort : ports.next(even);
        if (reserveNext && port + 1 > settings.relayPortMax()) port -= 2;
        ChannelFuture future;
        if (allocation.tcpRelay) {
            ServerBootstrap sb = new ServerBootstrap().group(allocation.loop, allocation.loop).channel(Transports.server())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transports.streamReads())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            allocation.loop.execute(() -> onPeerConnected(allocation, ch));
                        }
                    });
            if (Transports.EPOLL) sb.option(EpollChannelOption.SO_REUSEPORT, true);
            future = sb.bind(bind, port);
        } else {
            future = udpRelay(allocation, bind).bind(bind, port);
        }
        int boundPort = port;
        future.addListener(f -> {
            if (f.isSuccess() && allocation.isClosed()) {
                // the client went away (TCP closed) while the relay was binding
                future.channel().close();
            } else if (f.isSuccess() && reserveNext) {
                reserveNextPort(allocation, bind, future.channel(), boundPort, attemptsLeft, request, result, lifetime);
            } else if (f.isSuccess()) {
                activateAndRespond(allocation, bind, future.channel(), boundPort, lifetime, request, result, null);
            } else if (attemptsLeft > 1 && !allocation.isClosed() && fixedPort < 0) {
                bindRelay(allocation, bind, even, -1, reserveNext, attemptsLeft - 1, request, result, lifetime);
            } else {
                LOG.warn("no relay port free in {}-{}", settings.relayPortMin(), settings.relayPortMax());
                allocation.close("no_port");
                error(allocation.client, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
            }
        });
    }

    /** A UDP relay socket of this allocation: peer datagrams go to {@link Allocation#fromPeer}, flushed per read batch. */
    private Bootstrap udpRelay(Allocation allocation, InetAddress bind) {
        Bootstrap udp = new Bootstrap().group(allocation.loop).channelFactory(Transports.datagram(bind))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        try {
                            if (Transports.truncated(packet.content().readableBytes())) {
                                metrics.dropped("too_large");
                            } else {
                                allocation.fromPeer(packet);
                            }
                        } finally {
                            packet.release();
                        }
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        allocation.peerReadComplete(); // one flush towards the client per read batch
                    }
                });
        return Transports.datagramOptions(udp);
    }

    /** The address a relay bound to {@code bind} is reached at: the external/advertised address of its family. */
    private InetAddress shownAddress(InetAddress bind) {
        if (bind instanceof Inet6Address) return bind.isAnyLocalAddress() && advertisedV6 != null ? advertisedV6 : bind;
        InetAddress shown = bind.isAnyLocalAddress() || advertised != null && bind == relayBind ? advertised : bind;
        return shown == null ? bind : shown;
    }

    private void activateAndRespond(Allocation allocation, InetAddress bind, Channel relay, int port, int lifetime,
                                    StunMessage request, Authenticator.Result result, byte[] reservationToken) {
        allocation.activate(relay, new InetSocketAddress(shownAddress(bind), port), lifetime);
        if (allocation.isClosed()) return;
        connectClientSocket(allocation);
        if (allocation.additionalFamily == Allocation.ADDITIONAL_V6) {
            bindAdditionalV6(allocation, ports.attempts(), request, result, lifetime, reservationToken);
        } else {
            respondAllocated(allocation, request, result, lifetime, reservationToken);
        }
    }

    /** See {@link #connectUdpClients}; without it (or if the socket cannot be made) the listener socket keeps serving. */
    private void connectClientSocket(Allocation allocation) {
        if (udpLoops == null || !(allocation.client instanceof ClientLink.Udp udp)) return;
        InetSocketAddress listen = udpListenAddress != null ? udpListenAddress : udp.local();
        if (listen == null || listen.getAddress().isAnyLocalAddress()) return; // unknown destination: keep the listener
        // an IPv4 socket when both ends are IPv4 (see Transports.datagram); else as the listener's
        InetAddress family = udp.remote().getAddress() instanceof Inet4Address ? listen.getAddress() : udp.remote().getAddress();
        Bootstrap b = Transports.datagramOptions(new Bootstrap().group(allocation.loop).channelFactory(Transports.datagram(family))
                .option(EpollChannelOption.SO_REUSEPORT, true).option(ChannelOption.SO_REUSEADDR, true)
                .handler(new UdpListenerHandler(this)));
        b.connect(udp.remote(), listen).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                allocation.useClientSocket(f.channel());
            } else {
                LOG.debug("allocation {} keeps the listener socket: {}", allocation.id, String.valueOf(f.cause()));
            }
        });
    }

    /** RFC 8656 §7.2 dual allocation: the IPv6 relayed address next to the IPv4 one, from the same port range. */
    private void bindAdditionalV6(Allocation allocation, int attemptsLeft, StunMessage request, Authenticator.Result result,
                                  int lifetime, byte[] reservationToken) {
        int port = ports.next(false);
        ChannelFuture future = udpRelay(allocation, relayBindV6).bind(relayBindV6, port);
        future.addListener(f -> {
            if (f.isSuccess() && allocation.isClosed()) {
                future.channel().close();
            } else if (f.isSuccess()) {
                allocation.addRelayV6(future.channel(), new InetSocketAddress(shownAddress(relayBindV6), port));
                respondAllocated(allocation, request, result, lifetime, reservationToken);
            } else if (attemptsLeft > 1 && !allocation.isClosed()) {
                bindAdditionalV6(allocation, attemptsLeft - 1, request, result, lifetime, reservationToken);
            } else {
                LOG.warn("no IPv6 relay port free in {}-{}", settings.relayPortMin(), settings.relayPortMax());
                allocation.close("no_port");
                error(allocation.client, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
            }
        });
    }

    private void respondAllocated(Allocation allocation, StunMessage request, Authenticator.Result result, int lifetime,
                                  byte[] reservationToken) {
        StunMessageBuilder b = StunMessageBuilder.successResponse(request)
                .addXorAddress(AttributeType.XOR_RELAYED_ADDRESS, allocation.relayAddress);
        if (allocation.relayAddressV6 != null) b.addXorAddress(AttributeType.XOR_RELAYED_ADDRESS, allocation.relayAddressV6);
        b.addUint32(AttributeType.LIFETIME, lifetime);
        if (reservationToken != null) b.add(AttributeType.RESERVATION_TOKEN, reservationToken);
        if (allocation.additionalFamily == Allocation.ADDITIONAL_REFUSED) {
            // RFC 8656 §18.13 ADDRESS-ERROR-CODE: family, reserved, then class and number as in ERROR-CODE, then the reason
            ErrorCode e = ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED;
            byte[] reason = e.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] value = new byte[4 + reason.length];
            value[0] = TurnAttributes.FAMILY_IPV6;
            value[2] = (byte) (e.code() / 100);
            value[3] = (byte) (e.code() % 100);
            System.arraycopy(reason, 0, value, 4, reason.length);
            b.add(AttributeType.ADDRESS_ERROR_CODE, value);
        }
        respond(allocation.client, request, b.addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, allocation.client.remote()), result);
    }

    /** RFC 8656 §18.12 ADDITIONAL-ADDRESS-FAMILY: the family in the first byte of a 4-byte value. */
    private static OptionalInt additionalAddressFamily(StunMessage request) throws StunParseException {
        byte[] v = request.value(AttributeType.ADDITIONAL_ADDRESS_FAMILY);
        if (v == null) return OptionalInt.empty();
        if (v.length != 4) throw new StunParseException("ADDITIONAL-ADDRESS-FAMILY must be 4 bytes");
        return OptionalInt.of(v[0] & 0xFF);
    }

    /** Binds port + 1 as a placeholder that drops traffic until claimed (or after 30 s, closed). */
    private void reserveNextPort(Allocation allocation, InetAddress bind, Channel relay, int port, int attemptsLeft,
                                 StunMessage request, Authenticator.Result result, int lifetime) {
        new Bootstrap().group(allocation.loop).channelFactory(Transports.datagram(bind))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        // nothing is relayed on a reserved port
                    }
                })
                .bind(bind, port + 1).addListener((ChannelFuture placeholder) -> {
                    if (!placeholder.isSuccess() || allocation.isClosed()) {
                        relay.close();
                        if (placeholder.isSuccess()) placeholder.channel().close();
                        if (attemptsLeft > 1 && !allocation.isClosed()) {
                            bindRelay(allocation, bind, true, -1, true, attemptsLeft - 1, request, result, lifetime);
                        } else {
                            allocation.close("no_port");
                            error(allocation.client, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
                        }
                        return;
                    }
                    byte[] token = new byte[8];
                    random.nextBytes(token);
                    String key = java.util.HexFormat.of().formatHex(token);
                    table.addReservation(key, new Reservation(port + 1, bind, placeholder.channel()));
                    allocation.loop.schedule(() -> {
                        Reservation unclaimed = table.claimReservation(key);
                        if (unclaimed != null) unclaimed.placeholder().close();
                    }, RESERVATION_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                    activateAndRespond(allocation, bind, relay, port, lifetime, request, result, token);
                });
    }

    // RFC 8656 §7.3
    private void onRefresh(ClientLink link, StunMessage request, Authenticator.Result result, Allocation allocation)
            throws StunParseException {
        if (allocation == null || allocation.relayAddress == null) {
            error(link, request, ErrorCode.ALLOCATION_MISMATCH, result);
            return;
        }
        OptionalInt family = TurnAttributes.requestedAddressFamily(request);
        // RFC 8656 §7.3: a family this allocation has no relayed address of gets 443 (a dual allocation is refreshed as a whole)
        if (family.isPresent() && !allocation.relaysFamily(family.getAsInt() == TurnAttributes.FAMILY_IPV6)) {
            error(link, request, ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, result);
            return;
        }
        int lifetime = lifetimeFor(request, false);
        allocation.refresh(lifetime);
        respond(link, request, StunMessageBuilder.successResponse(request).addUint32(AttributeType.LIFETIME, lifetime), result);
    }

    // RFC 8656 §9.2
    private void onCreatePermission(ClientLink link, StunMessage request, Authenticator.Result result, Allocation allocation)
            throws StunParseException {
        if (allocation == null || allocation.relayAddress == null) {
            error(link, request, ErrorCode.ALLOCATION_MISMATCH, result);
            return;
        }
        List<InetSocketAddress> peers = peerAddresses(request);
        if (peers.isEmpty()) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        for (InetSocketAddress peer : peers) {
            ErrorCode refusal = checkPeer(allocation, peer);
            if (refusal != null) {
                error(link, request, refusal, result);
                return;
            }
        }
        int fresh = 0;
        for (InetSocketAddress peer : peers) {
            if (!allocation.canPermit(peer.getAddress())) fresh++;
        }
        if (fresh > 0) {
            error(link, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
            return;
        }
        for (InetSocketAddress peer : peers) allocation.permit(peer.getAddress());
        respond(link, request, StunMessageBuilder.successResponse(request), result);
    }

    // RFC 8656 §11.2
    private void onChannelBind(ClientLink link, StunMessage request, Authenticator.Result result, Allocation allocation)
            throws StunParseException {
        if (allocation == null || allocation.relayAddress == null) {
            error(link, request, ErrorCode.ALLOCATION_MISMATCH, result);
            return;
        }
        OptionalInt channel = TurnAttributes.channelNumber(request);
        InetSocketAddress peer = request.xorAddress(AttributeType.XOR_PEER_ADDRESS);
        if (channel.isEmpty() || peer == null || allocation.tcpRelay
                || !dev.parley.codec.stun.ChannelData.isValidChannelNumber(channel.getAsInt(), settings.rfc5766ChannelNumbers())) {
            LOG.debug("allocation {} ChannelBind refused: channel {} peer {}", allocation.id,
                    channel.isPresent() ? "0x" + Integer.toHexString(channel.getAsInt()) : "missing", peer);
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        ErrorCode refusal = checkPeer(allocation, peer);
        if (refusal != null) {
            error(link, request, refusal, result);
            return;
        }
        allocation.dropExpiredBindings(); // RFC 8656 §12: an expired binding frees its number and peer
        Allocation.Binding byNumber = allocation.bindingByNumber(channel.getAsInt());
        Allocation.Binding byPeer = allocation.bindingByPeer(peer);
        if (byNumber != null && !byNumber.peer.equals(peer) || byPeer != null && byPeer.number != channel.getAsInt()) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        if (!allocation.canPermit(peer.getAddress()) || !allocation.bindChannel(channel.getAsInt(), peer)) {
            error(link, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
            return;
        }
        respond(link, request, StunMessageBuilder.successResponse(request), result);
    }

    // RFC 8656 §10.2: indications cannot be answered, so anything wrong is silently dropped.
    private void onSend(ClientLink link, StunMessage indication) {
        Allocation allocation = table.find(link);
        if (allocation == null) return;
        if (!allocation.loop.inEventLoop()) {
            allocation.loop.execute(() -> onSend(allocation, indication));
        } else {
            onSend(allocation, indication);
        }
    }

    private void onSend(Allocation allocation, StunMessage indication) {
        InetSocketAddress peer;
        try {
            peer = indication.xorAddress(AttributeType.XOR_PEER_ADDRESS);
        } catch (StunParseException e) {
            return;
        }
        byte[] data = indication.value(AttributeType.DATA);
        if (peer == null || data == null || allocation.relayAddress == null) return;
        if (checkPeer(allocation, peer) != null) {
            metrics.dropped("denied_peer");
            return;
        }
        allocation.sendToPeer(peer, Unpooled.wrappedBuffer(data));
    }

    // RFC 6062 §5.2
    private void onConnect(ClientLink link, StunMessage request, Authenticator.Result result, Allocation allocation)
            throws StunParseException {
        if (allocation == null || allocation.relayAddress == null) {
            error(link, request, ErrorCode.ALLOCATION_MISMATCH, result);
            return;
        }
        InetSocketAddress peer = request.xorAddress(AttributeType.XOR_PEER_ADDRESS);
        if (peer == null || !allocation.tcpRelay) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        ErrorCode refusal = checkPeer(allocation, peer);
        if (refusal != null) {
            error(link, request, refusal, result);
            return;
        }
        for (PeerConnection c : allocation.peerConnections.values()) {
            if (c.peerAddress.equals(peer)) {
                error(link, request, ErrorCode.CONNECTION_ALREADY_EXISTS, result);
                return;
            }
        }
        if (allocation.peerConnections.size() >= settings.maxTcpConnectionsPerAllocation()) {
            error(link, request, ErrorCode.INSUFFICIENT_CAPACITY, result);
            return;
        }
        // a Connect is also a permission for that peer (coturn does the same)
        allocation.permit(peer.getAddress());
        InetSocketAddress relayLocal = (InetSocketAddress) allocation.relayChannel.localAddress();
        connectPeer(link, request, result, allocation, peer, relayLocal, true);
    }

    /**
     * RFC 6062 §5.2 asks for the connection to come from the relayed transport address. Linux refuses
     * to share a port with a listening socket in some kernels; then the relay IP with an ephemeral port is used.
     */
    private void connectPeer(ClientLink link, StunMessage request, Authenticator.Result result, Allocation allocation,
                             InetSocketAddress peer, InetSocketAddress relayLocal, boolean fromRelayPort) {
        Bootstrap b = new Bootstrap().group(allocation.loop).channel(Transports.socket())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Transports.streamReads())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInboundHandlerAdapter());
        InetSocketAddress local = fromRelayPort ? relayLocal : new InetSocketAddress(relayLocal.getAddress(), 0);
        b.connect(peer, local).addListener((ChannelFuture f) -> {
            if (f.isSuccess() && !allocation.isClosed()) {
                PeerConnection connection = new PeerConnection(allocation, f.channel(), table, metrics);
                int id = connection.register(random::nextInt);
                respond(link, request, StunMessageBuilder.successResponse(request)
                        .addUint32(AttributeType.CONNECTION_ID, id & 0xFFFFFFFFL), result);
                return;
            }
            f.channel().close();
            String cause = String.valueOf(f.cause());
            if (fromRelayPort && cause.contains("bind(")) {
                connectPeer(link, request, result, allocation, peer, relayLocal, false);
                return;
            }
            LOG.info("allocation {} could not connect to peer {}: {}", allocation.id, peer, cause);
            error(link, request, ErrorCode.CONNECTION_TIMEOUT_OR_FAILURE, result);
        });
    }

    // RFC 6062 §5.3: a peer connected to a TCP relayed address
    private void onPeerConnected(Allocation allocation, Channel peerChannel) {
        InetSocketAddress peer = (InetSocketAddress) peerChannel.remoteAddress();
        if (allocation.isClosed() || peer == null || !allocation.hasPermission(peer.getAddress())
                || !policy.permits(peer.getAddress())
                || allocation.peerConnections.size() >= settings.maxTcpConnectionsPerAllocation()) {
            peerChannel.close();
            return;
        }
        PeerConnection connection = new PeerConnection(allocation, peerChannel, table, metrics);
        int id = connection.register(random::nextInt);
        allocation.client.send(StunMessageBuilder.create(MessageType.indication(StunMethod.CONNECTION_ATTEMPT))
                .addUint32(AttributeType.CONNECTION_ID, id & 0xFFFFFFFFL)
                .addXorAddress(AttributeType.XOR_PEER_ADDRESS, peer)
                .build());
    }

    // RFC 6062 §5.4: the data connection names the peer connection it wants
    private void onConnectionBind(ClientLink link, StunMessage request, Authenticator.Result result, Allocation existing)
            throws StunParseException {
        OptionalInt id = TurnAttributes.connectionId(request);
        if (!(link instanceof ClientLink.Stream stream) || existing != null || id.isEmpty()) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        PeerConnection connection = table.claimConnection(id.getAsInt());
        if (connection == null) {
            error(link, request, ErrorCode.BAD_REQUEST, result);
            return;
        }
        if (!connection.allocation.username.equals(result.username())) {
            connection.close();
            metrics.wrongCredentials();
            error(link, request, ErrorCode.WRONG_CREDENTIALS, result);
            return;
        }
        respond(link, request, StunMessageBuilder.successResponse(request), result);
        connection.bind(stream.channel());
        StreamClientHandler.becomeDataConnection(stream.channel());
    }

    /** Deny list and address-family checks every peer path goes through (403 / 443). */
    private ErrorCode checkPeer(Allocation allocation, InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        if (!policy.permits(ip)) {
            LOG.info("allocation {} refused peer {}", allocation.id, ip.getHostAddress());
            return ErrorCode.FORBIDDEN;
        }
        if (!allocation.relaysFamily(ip instanceof Inet6Address)) return ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH;
        return null;
    }

    private static List<InetSocketAddress> peerAddresses(StunMessage request) throws StunParseException {
        // RFC 8656 §9.1: one request may carry several XOR-PEER-ADDRESS attributes
        return request.xorAddresses(AttributeType.XOR_PEER_ADDRESS);
    }

    private static int lifetimeFor(StunMessage request, boolean allocate) throws StunParseException {
        OptionalInt requested = TurnAttributes.lifetime(request);
        if (requested.isEmpty()) return DEFAULT_LIFETIME;
        int value = requested.getAsInt();
        if (value == 0 && !allocate) return 0;
        // RFC 8656 §7.2: min(requested, maximum), but never below the default
        return Math.max(DEFAULT_LIFETIME, Math.min(value, MAX_LIFETIME));
    }

    private void challenge(ClientLink link, StunMessage request, ErrorCode code, long now) {
        metrics.error(code.code());
        StunMessageBuilder b = StunMessageBuilder.errorResponse(request, code)
                .addText(AttributeType.REALM, auth.realm())
                .addText(AttributeType.NONCE, auth.nonceFor(link.remote().getAddress(), now));
        respond(link, request, b, null);
    }

    private void error(ClientLink link, StunMessage request, ErrorCode code, Authenticator.Result result) {
        metrics.error(code.code());
        respond(link, request, StunMessageBuilder.errorResponse(request, code), result);
    }

    private static void respond(ClientLink link, StunMessage request, StunMessageBuilder b, Authenticator.Result result) {
        if (result != null && result.ok()) {
            if (result.sha256()) {
                b.addMessageIntegritySha256(result.key());
            } else {
                b.addMessageIntegrity(result.key());
            }
        }
        if (Fingerprint.isPresent(request)) b.addFingerprint();
        link.send(b.build());
    }
}
