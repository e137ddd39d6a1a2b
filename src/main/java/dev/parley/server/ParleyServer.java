package dev.parley.server;

import dev.parley.sfu.Sfu;
import dev.parley.signaling.Cluster;
import dev.parley.signaling.ClusterSettings;
import dev.parley.signaling.IceServer;
import dev.parley.signaling.RedisCluster;
import dev.parley.turn.TurnCredentials;
import dev.parley.turn.TurnServer;
import java.util.ArrayList;
import java.util.List;
import dev.parley.signaling.SignalingService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Parley process: wires configuration, metrics, signaling and the HTTP/WebSocket listener.
 * The only class that knows how the layers fit together.
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

    private final ParleyConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Sfu sfu;
    private final TurnServer turn;
    private final TurnCredentials turnCredentials;
    private final SignalingService signaling;
    /** Cluster mode (--redis); null on a single node. */
    private final RedisCluster cluster;
    private final Server jetty;
    private final ServerConnector connector;
    private final HttpsListener https;
    private volatile boolean started;
    private volatile boolean stopped;

    public ParleyServer(ParleyConfig config) {
        this.config = config;
        this.turnCredentials = new TurnCredentials(config.turn().settings().sharedSecret(), config.turn().settings().credentialTtl());
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        // certificate files first: a bad one fails the start before any socket is bound
        this.https = config.tls().enabled() ? HttpsListener.create(config, metrics) : null;
        this.cluster = config.cluster().map(this::connectCluster).orElse(null);
        try {
            this.sfu = new Sfu(config.sfu(), metrics);
        } catch (Exception e) { // Netty rethrows the bind failure (a checked BindException) unchecked
            if (cluster != null) cluster.close();
            throw new StartupException("the SFU media listener on " + config.sfu().bindAddress() + " udp "
                    + config.sfu().port() + " / tcp " + config.sfu().tcpPort() + " (--sfu-port, --sfu-tcp-port, --sfu-bind)", e);
        }
        // turns: presents the HTTPS certificate unless --turn-tls-cert names its own
        this.turn = config.turn().enabled() ? new TurnServer(config.turn().settings(), metrics, https == null ? null : https.identity()) : null;
        if (https != null && turn != null && config.turn().settings().tlsCertificate() == null) https.alsoOnRenewal(turn::reloadTls);
        this.signaling = new SignalingService(config.signaling(), metrics, sfu, this::iceServersFor,
                config.apiKey().map(dev.parley.signaling.auth.TokenVerifier::new).orElse(null),
                cluster == null ? Cluster.singleNode() : cluster);

        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("http");
        jetty = new Server(threads);
        connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        if (https != null) https.addTo(jetty);

        Counter rejectedOrigins = Counter.builder("parley.signaling.upgrades.rejected").tag("reason", "origin")
                .description("WebSocket upgrades refused").register(metrics);
        OriginPolicy origins = new OriginPolicy(config.allowedOrigins(), cluster == null ? java.util.Set::of : cluster::nodeUrls);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, context, container -> {
            // Frames up to 4x the protocol limit reach the signaling layer, which answers with a
            // coded error; anything larger is closed by Jetty with 1009 before it is buffered.
            container.setMaxTextMessageSize(4L * config.signaling().maxMessageBytes());
            container.setMaxBinaryMessageSize(1024);
            container.setIdleTimeout(config.signaling().heartbeatTimeout().multipliedBy(3));
            container.addMapping("/ws", (request, response, callback) -> {
                String origin = request.getHeaders().get("Origin");
                String host = request.getHeaders().get("Host");
                if (!origins.allows(origin, host)) {
                    rejectedOrigins.increment();
                    log.info("refused WebSocket from origin {} (host {})", origin, host);
                    response.setStatus(HttpStatus.FORBIDDEN_403);
                    callback.succeeded();
                    return null;
                }
                String remote = String.valueOf(org.eclipse.jetty.server.Request.getRemoteAddr(request))
                        + ":" + org.eclipse.jetty.server.Request.getRemotePort(request);
                return new WebSocketConnection(signaling, remote, request.getHeaders().get("User-Agent"));
            });
        });
        ws.setHandler(new AdminRoutes(new AdminAuth(config.adminToken()), new AdminState(signaling, sfu, metrics),
                new HttpRoutes(metrics, signaling, new StaticAssets(config.webRoot()),
                        () -> started && !stopped && (cluster == null || cluster.ready()))));
        context.setHandler(ws);
        GracefulHandler graceful = new GracefulHandler(https == null ? context : https.redirectPlainHttp(context));
        jetty.setHandler(graceful);
        jetty.setStopTimeout(Duration.ofSeconds(5).toMillis());
    }

    /** Connects to Redis first, before any listener binds, so a bad --redis fails the start cleanly. */
    private RedisCluster connectCluster(ClusterSettings settings) {
        try {
            return RedisCluster.connect(settings.withRemoveAfter(config.signaling().resumeGrace()), metrics);
        } catch (RuntimeException e) {
            throw new StartupException("cluster mode (--redis)", e);
        }
    }

    /**
     * This node's base URL for redirects: --node-url, else the announced address and the bound port;
     * with TLS on the HTTPS port (the plain port answers /ws with a redirect WebSockets don't follow,
     * and an https page may not open ws://).
     */
    private String nodeUrl() {
        String configured = config.cluster().map(ClusterSettings::nodeUrl).orElse(null);
        if (configured != null) return configured;
        String host = config.host().equals("0.0.0.0") || config.host().isEmpty() ? config.sfu().announcedAddress() : config.host();
        return (https == null ? "http://" : "https://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + (https == null ? port() : tlsPort());
    }

    /**
     * Static ICE servers from configuration, plus the built-in TURN server's URLs with credentials
     * minted for this peer (TURN REST API: username {@code expiry:peerId}).
     */
    private List<IceServer> iceServersFor(String peerId) {
        List<IceServer> servers = new ArrayList<>(config.signaling().iceServers());
        if (turn != null) {
            TurnCredentials.Credential credential = turnCredentials.mint(peerId);
            servers.add(new IceServer(turn.iceUrls(config.turn().publicHost()), credential.username(), credential.password()));
        }
        return servers;
    }

    /** Starts listening; returns once the ports are bound. */
    public ParleyServer start() {
        if (turn != null) {
            try {
                turn.start();
            } catch (Exception e) {
                throw new StartupException("the TURN server (--turn-listen, --turn-udp-port, --turn-tcp-port, "
                        + "--turn-tls-port, --turn-relay-address-v6; --turn off turns it off)", e);
            }
            log.info("TURN on udp {} tcp {} tls {} ({}){}", turn.udpPort(), turn.tcpPort(), turn.tlsPort(),
                    String.join(" ", turn.iceUrls(config.turn().publicHost())),
                    config.turn().randomSecret() ? "; secret generated for this run (set --turn-secret to keep credentials across restarts)" : "");
        }
        if (https != null) https.open();
        try {
            jetty.start();
        } catch (Exception e) {
            throw new StartupException("the HTTP listener on " + config.host() + ":" + config.port() + " (--port, --host)", e);
        }
        if (cluster != null) cluster.register(nodeUrl());
        started = true;
        log.info("Parley listening on http://{}:{} (signaling at /ws)", displayHost(), port());
        if (https != null) https.logListening(displayHost(), port());
        config.apiKey().ifPresent(key -> log.info("every join needs a token signed for API key {} (mint one: parley token --help)", key.key()));
        return this;
    }

    /** The bound port (useful when configured with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The bound HTTPS port, or -1 without TLS. */
    public int tlsPort() {
        return https == null ? -1 : https.port();
    }

    public ParleyConfig config() {
        return config;
    }

    public SignalingService signaling() {
        return signaling;
    }

    public Sfu sfu() {
        return sfu;
    }

    /** The built-in TURN server, or null when turned off. */
    public TurnServer turn() {
        return turn;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    private String displayHost() {
        String host = config.host();
        return host.equals("0.0.0.0") || host.isEmpty() ? "localhost" : host;
    }

    /** Tells every client, closes every socket, then stops the listener. Idempotent. */
    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        try {
            log.info("shutting down: telling {} clients", signaling.snapshot().sockets());
        } catch (RuntimeException e) {
            log.warn("shutting down (signaling did not report its clients)");
        }
        signaling.close();
        if (cluster != null) cluster.close();
        sfu.close();
        if (turn != null) turn.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("HTTP listener did not stop cleanly", e);
        }
        if (https != null) https.close(); // bound in start() even when Jetty then failed to start
        metrics.close();
        log.info("stopped");
    }
}
