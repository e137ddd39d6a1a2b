package dev.parley.sfu;

import dev.parley.codec.rtcp.RtcpCompoundIterator;
import dev.parley.codec.rtp.RtpPacketView;
import dev.parley.rtc.RtcMetrics;
import dev.parley.rtc.RtcTransport;
import dev.parley.rtc.TcpMux;
import dev.parley.rtc.UdpMux;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU media plane: one UDP port (plus an ICE-TCP port for clients without UDP), one event
 * loop holding every router, and the narrow API signaling uses (join, publish, answer, leave).
 * Entry points may be called from any thread; they run on the loop and complete their futures there.
 */
public final class Sfu implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sfu.class);
    /** Dominant speaker decisions and layer allocation run this often. */
    private static final long ALLOCATION_INTERVAL_MILLIS = 200;

    private final SfuSettings settings;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final UdpMux mux;
    /** ICE-TCP listener, or null when turned off. */
    private final TcpMux tcp;
    private final DtlsConfig dtlsConfig;
    private final ExecutorService handshakes;
    private final RtcMetrics rtcMetrics;
    final SfuMetrics metrics;
    final LoopBuffers buffers = new LoopBuffers();
    private final Map<String, Router> routers = new HashMap<>();
    /** Every transport not yet closed, whoever owns it: the lifecycle's ground truth. */
    private final java.util.Set<RtcTransport> openTransports = new java.util.LinkedHashSet<>();
    private volatile SfuEvents events = (room, peer, sdp, version) -> { };
    private volatile double subscriberLoss;

    public Sfu(SfuSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.metrics = new SfuMetrics(registry);
        this.rtcMetrics = new RtcMetrics(registry);
        this.group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "media");
            t.setDaemon(true);
            return t;
        }, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        AtomicInteger handshakeThreads = new AtomicInteger();
        this.handshakes = Executors.newFixedThreadPool(Math.max(4, 4 * Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "dtls-" + handshakeThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dtlsConfig = DtlsConfig.defaults(DtlsCertificate.generate());
        try {
            this.mux = new UdpMux(loop, new InetSocketAddress(settings.bindAddress(), settings.port()), rtcMetrics);
            this.tcp = settings.tcpPort() < 0 ? null
                    : new TcpMux(mux, new InetSocketAddress(settings.bindAddress(), settings.tcpPort()), rtcMetrics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the media port", e);
        }
        loop.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        loop.scheduleWithFixedDelay(this::allocate, ALLOCATION_INTERVAL_MILLIS, ALLOCATION_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        log.info("SFU media on udp {}:{}{} (announced as {})", settings.bindAddress(), mux.localPort(),
                tcp == null ? "" : ", ICE-TCP on tcp " + tcp.localPort(), settings.announcedAddress());
    }

    /** Who hears subscriber offers; set once by the server's wiring. */
    public void events(SfuEvents listener) {
        this.events = listener;
    }

    SfuEvents events() {
        return events;
    }

    SfuSettings settings() {
        return settings;
    }

    /** The media UDP port actually bound. */
    public int port() {
        return mux.localPort();
    }

    /** Adds a peer to a room's media if it is not there yet; it will receive an offer for every track published there. */
    public CompletableFuture<Void> join(String room, String peerId) {
        return join(room, peerId, false);
    }

    /**
     * Adds a peer to a room's media. With {@code restart}, a peer already there starts over: its
     * transports, tracks and subscriptions are closed first (a client rebuilding its connections
     * after {@code sfu-closed} sends {@code sfu-join} again and gets a fresh subscribe offer).
     */
    public CompletableFuture<Void> join(String room, String peerId, boolean restart) {
        return onLoop(() -> {
            routers.computeIfAbsent(room, id -> {
                metrics.routers++;
                return new Router(id, this);
            }).join(peerId, restart);
            return null;
        });
    }

    /** Test hook: closes both media transports of a peer as a lost ICE consent would (the peer gets sfu-closed). */
    public void loseMediaForTest(String room, String peerId) {
        loop.execute(() -> {
            Router router = routers.get(room);
            Participant participant = router == null ? null : router.participants.get(peerId);
            if (participant == null) return;
            if (participant.publishTransport != null) participant.publishTransport.close("test: ICE consent lost");
            if (participant.subscribeTransport != null) participant.subscribeTransport.close("test: ICE consent lost");
        });
    }

    /** Applies a publisher's offer; completes with the SFU's answer. */
    public CompletableFuture<String> publish(String room, String peerId, String offer) {
        return onLoop(() -> router(room).publish(participant(room, peerId), offer));
    }

    /** The subscriber's answer to offer {@code version}. */
    public CompletableFuture<Void> answer(String room, String peerId, String answer, long version) {
        return onLoop(() -> {
            router(room).subscriberAnswer(participant(room, peerId), answer, version);
            return null;
        });
    }

    /** A subscriber's receiver constraints (sfu-constraints): resolution per track, on-stage, last-N. */
    public CompletableFuture<Void> constraints(String room, String peerId, ReceiverConstraints constraints) {
        return onLoop(() -> {
            Participant participant = participant(room, peerId);
            participant.constraints = constraints;
            router(room).allocate(participant, System.nanoTime());
            return null;
        });
    }

    /**
     * Test hook: the path towards this subscriber carries at most {@code bitsPerSecond} (0 lifts
     * the cap). The SFU's send path drops what exceeds it, as a policer on the path would (100 ms
     * burst), after congestion control numbered the packet: the subscriber's feedback shows the loss.
     */
    public void capSubscriberForTest(String room, String peerId, long bitsPerSecond) {
        loop.execute(() -> {
            Router router = routers.get(room);
            Participant participant = router == null ? null : router.participants.get(peerId);
            if (participant == null) return;
            participant.capBpsForTest = Math.max(0, bitsPerSecond);
            participant.capTokens = 0;
            participant.capClockMicros = System.nanoTime() / 1000;
        });
    }

    /**
     * Congestion state towards a subscriber, for tests and troubleshooting: estimate,
     * acknowledged rate, loss, RTT, probes, and each video's layer rates (bits/s, in offer order)
     * with the number of VP8 temporal layers each carries, and the consumer's temporal target.
     */
    public String congestionSummary(String room, String peerId) {
        return onLoop(() -> {
            Router router = routers.get(room);
            Participant p = router == null ? null : router.participants.get(peerId);
            if (p == null || p.congestion == null) return "no estimate";
            var e = p.congestion.estimator();
            StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "estimate %d (delay %d, loss-based %d), acknowledged %d, loss %.2f, rtt %d us, feedbacks %d, probes won %d",
                    e.estimateBps(), e.delayBasedBps(), e.lossBasedBps(), e.acknowledgedBps(), e.lossFraction(),
                    e.rttMicros(), e.feedbacksReceived(), p.congestion.probesSucceeded()));
            for (Consumer c : p.consumers.values()) {
                if (c.producer.kind != MediaKind.VIDEO) continue;
                out.append("; ").append(c.producer.id).append(" target ").append(c.targetLayer).append(" current ")
                        .append(c.currentLayer).append(" switches ").append(c.layerSwitches).append(" TID target ")
                        .append(c.targetTemporal).append(" current ").append(c.currentTemporal).append(" layers");
                // per layer: rate, and how many VP8 temporal layers it carries (RFC 7741 §4.2 TID)
                for (ProducerStream s : c.producer.streams) {
                    out.append(' ').append(s.rid).append('=').append(s.bitrate).append(" T").append(s.temporalLayers);
                }
            }
            return out.toString();
        }).join();
    }

    /** The send-side bandwidth estimate towards this subscriber (bits/s), or -1 before it has one. */
    public long subscriberEstimate(String room, String peerId) {
        return onLoop(() -> {
            Router router = routers.get(room);
            Participant participant = router == null ? null : router.participants.get(peerId);
            return participant == null || participant.congestion == null ? -1L : participant.congestion.estimateBps();
        }).join();
    }

    /** Track id → the layer (rid, or "on" without simulcast) forwarded to this subscriber, or "paused". */
    public Map<String, String> forwardedLayers(String room, String peerId) {
        return onLoop(() -> {
            Router router = routers.get(room);
            Participant participant = router == null ? null : router.participants.get(peerId);
            return participant == null ? Map.<String, String>of() : router.forwardedLayers(participant);
        }).join();
    }

    /** Removes a peer's media: closes its transports, producers and consumers. Idempotent. */
    public void leave(String room, String peerId) {
        loop.execute(() -> {
            Router router = routers.get(room);
            if (router == null) return;
            Participant participant = router.participants.get(peerId);
            if (participant != null) router.leave(participant, "left");
            if (router.participants.isEmpty()) {
                routers.remove(room);
                metrics.routers--;
            }
        });
    }

    /** Room id → peer id → what the media plane sees of that peer (admin page); taken on the media loop. */
    public CompletableFuture<Map<String, Map<String, MediaView>>> mediaViews() {
        return onLoop(() -> MediaView.of(routers.values()));
    }

    /** Counts of live media objects (for tests and the admin page). */
    public record Counts(int routers, int participants, int transports, int producers, int consumers) {}

    /** Counts read on the media loop; a loop that does not answer within 2 s fails the call rather than hang it. */
    public Counts counts() {
        return onLoop(() -> new Counts(routers.size(),
                routers.values().stream().mapToInt(r -> r.participants.size()).sum(),
                metrics.transports, metrics.producers, metrics.consumers)).orTimeout(2, TimeUnit.SECONDS).join();
    }

    /** The ICE-TCP port actually bound, or -1 when ICE-TCP is off. */
    public int tcpPort() {
        return tcp == null ? -1 : tcp.localPort();
    }

    /** Test hook: drop every datagram arriving on the media UDP port, as a firewall blocking UDP would. */
    public void blockUdpForTest(boolean block) {
        mux.dropInboundForTest(block);
    }

    /** Test hook: drop this fraction (0..1) of first transmissions towards subscribers. */
    public void subscriberLoss(double fraction) {
        this.subscriberLoss = fraction;
    }

    boolean dropForTest() {
        double loss = subscriberLoss;
        if (loss > 0 && ThreadLocalRandom.current().nextDouble() < loss) {
            metrics.simulatedLoss().increment();
            return true;
        }
        return false;
    }

    void rtcMalformed() {
        metrics.unknownSsrc.increment();
    }

    RtcTransport newTransport(String id, RtcTransport.Listener listener) {
        RtcTransport transport = new RtcTransport(id, mux, tcp, dtlsConfig, handshakes, rtcMetrics, new RtcTransport.Listener() {
            @Override
            public void onConnected(RtcTransport t) {
                listener.onConnected(t);
            }

            @Override
            public void onRtp(RtcTransport t, byte[] buf, int off, int len) {
                listener.onRtp(t, buf, off, len);
            }

            @Override
            public void onRtcp(RtcTransport t, byte[] buf, int off, int len) {
                listener.onRtcp(t, buf, off, len);
            }

            @Override
            public void onClosed(RtcTransport t, String reason) {
                openTransports.remove(t);
                metrics.transports = openTransports.size();
                listener.onClosed(t, reason);
            }
        });
        openTransports.add(transport);
        metrics.transports = openTransports.size();
        return transport;
    }

    /** Ids of the transports still open (diagnostics for tests and the admin page). */
    public java.util.List<String> openTransportIds() {
        return onLoop(() -> openTransports.stream().map(RtcTransport::id).toList()).join();
    }

    private Router router(String room) throws SfuException {
        Router router = routers.get(room);
        if (router == null) throw new SfuException(SfuException.Reason.NOT_JOINED, "join the room's media first (sfu-join)");
        return router;
    }

    private Participant participant(String room, String peerId) throws SfuException {
        Participant participant = router(room).participants.get(peerId);
        if (participant == null) throw new SfuException(SfuException.Reason.NOT_JOINED, "join the room's media first (sfu-join)");
        return participant;
    }

    private void allocate() {
        long now = System.nanoTime();
        eachRouter("allocation", router -> router.allocate(now));
    }

    private void tick() {
        long now = System.nanoTime();
        eachRouter("tick", router -> router.tick(now));
    }

    /** Runs a periodic task on every router; one router's bug does not stop the others'. */
    private void eachRouter(String task, java.util.function.Consumer<Router> action) {
        for (Router router : routers.values().toArray(Router[]::new)) {
            try {
                action.accept(router);
            } catch (RuntimeException e) {
                log.error("router {} {} failed", router.id, task, e);
            }
        }
    }

    @FunctionalInterface
    private interface LoopTask<T> {
        T run() throws Exception;
    }

    private <T> CompletableFuture<T> onLoop(LoopTask<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.run());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void close() {
        try {
            onLoop(() -> {
                for (Router router : routers.values()) {
                    for (Participant p : router.participants.values().toArray(Participant[]::new)) router.leave(p, "server stopping");
                }
                routers.clear();
                for (RtcTransport t : openTransports.toArray(RtcTransport[]::new)) t.close("server stopping");
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("SFU did not close its rooms cleanly", e);
        }
        if (tcp != null) tcp.close();
        mux.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        handshakes.shutdownNow();
    }

    /** Scratch buffers of the media loop, reused for every packet (no per-packet allocation). */
    static final class LoopBuffers {
        final RtpPacketView view = new RtpPacketView();
        final dev.parley.codec.vp8.Vp8PayloadView vp8 = new dev.parley.codec.vp8.Vp8PayloadView();
        final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
        final byte[] stripped = new byte[RetransmissionCache.MAX_PACKET + 64];
        final byte[] send = new byte[RetransmissionCache.MAX_PACKET + 64 + RtcTransport.SEND_HEADROOM];
        /** Retransmissions and padding are built here, then stamped into {@link #send}. */
        final byte[] scratch = new byte[RetransmissionCache.MAX_PACKET + 64];
        final byte[] rtcpOut = new byte[1500 + RtcTransport.SEND_HEADROOM];
    }
}
