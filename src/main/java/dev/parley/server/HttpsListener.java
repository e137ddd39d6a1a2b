package dev.parley.server;

import dev.parley.rtc.tls.PemFiles;
import dev.parley.rtc.tls.TlsIdentity;
import dev.parley.rtc.tls.TlsIdentityException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS/WSS listener: the same routes and /ws as plain HTTP, behind TLS 1.2+ with the given
 * certificate or a dev certificate. Plain HTTP keeps listening and redirects to it
 * ({@link HttpsRedirect}). No ALPN: only HTTP/1.1 is on the classpath, and WebSockets use it.
 */
final class HttpsListener {
    private static final Logger log = LoggerFactory.getLogger(HttpsListener.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final ParleyConfig config;
    private final TlsIdentity identity;
    private volatile TlsIdentity served;
    private final Counter reloaded;
    private final Counter refused;
    private final List<Consumer<TlsIdentity>> renewalListeners = new CopyOnWriteArrayList<>();
    private SslContextFactory.Server ssl;
    private ServerConnector connector;
    private CertificateWatcher watcher;

    private HttpsListener(ParleyConfig config, TlsIdentity identity, MeterRegistry metrics) {
        this.config = config;
        this.identity = identity;
        this.served = identity;
        Gauge.builder("parley.tls.certificate.expiry", this, listener -> Duration.between(Instant.now(), listener.served.notAfter()).toSeconds())
                .baseUnit("seconds").description("time until the HTTPS certificate expires (negative: expired)").register(metrics);
        this.reloaded = Counter.builder("parley.tls.certificate.reloads").tag("outcome", "reloaded")
                .description("changes of the --tls-cert/--tls-key files seen at run time").register(metrics);
        this.refused = Counter.builder("parley.tls.certificate.reloads").tag("outcome", "refused")
                .description("changes of the --tls-cert/--tls-key files seen at run time").register(metrics);
    }

    /** Reads or generates the certificate; a file that cannot serve fails the start with the flags to fix. */
    static HttpsListener create(ParleyConfig config, MeterRegistry metrics) {
        TlsConfig tls = config.tls();
        TlsIdentity identity;
        if (tls.certificate().isPresent()) {
            try {
                identity = PemFiles.read(tls.certificate().get(), tls.privateKey().orElseThrow());
            } catch (TlsIdentityException e) {
                throw new StartupException("the HTTPS listener (--tls-cert, --tls-key)", e);
            }
            String problem = validityProblem(identity, Instant.now());
            if (problem != null) log.warn(problem);
            log.info("HTTPS certificate {} for {}, valid until {}, SHA-256 {}", identity.subject(), identity.names(),
                    identity.notAfter(), identity.sha256Fingerprint());
        } else {
            identity = DevCertificate.load(tls.devCertificateDir(), DevCertificate.names(config));
        }
        return new HttpsListener(config, identity, metrics);
    }

    /** The certificate and key this listener presents (the TURN TLS listener reuses them). */
    TlsIdentity identity() {
        return identity;
    }

    /** Adds the connector to Jetty; it binds in {@link #open()}. */
    void addTo(Server jetty) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // The browser checks the name against the certificate; with one certificate there is nothing
        // for SNI to choose, and a LAN address or .local name missing from a dev certificate should
        // get the browser's warning, not a 400 from Jetty.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ssl = new SslContextFactory.Server();
        useIdentity(ssl, identity);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setRenegotiationAllowed(false);
        connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.tls().port());
        jetty.addConnector(connector);
    }

    private static void useIdentity(SslContextFactory factory, TlsIdentity identity) {
        char[] password = "parley".toCharArray(); // the key store only lives in memory
        factory.setKeyStore(identity.keyStore("parley", password));
        factory.setKeyStorePassword(new String(password));
    }

    /** Binds the port before Jetty starts, so a taken port is blamed on --tls-port, not --port; then watches the files. */
    void open() {
        try {
            connector.open();
        } catch (IOException e) {
            throw new StartupException("the HTTPS listener on " + config.host() + ":" + config.tls().port() + " (--tls-port, --host)", e);
        }
        TlsConfig tls = config.tls();
        if (tls.certificate().isPresent() && !tls.reloadInterval().isZero()) {
            watcher = new CertificateWatcher(tls.certificate().get(), tls.privateKey().orElseThrow(), tls.reloadInterval(), this::renew,
                    refused::increment);
        }
    }

    /** Also hands a renewed certificate to {@code listener} (the turns: listener when it presents this one). */
    void alsoOnRenewal(Consumer<TlsIdentity> listener) {
        renewalListeners.add(listener);
    }

    /** New handshakes get the renewed certificate; open connections keep theirs. */
    private void renew(TlsIdentity renewed) {
        String problem = validityProblem(renewed, Instant.now());
        if (problem != null) log.warn(problem);
        try {
            ssl.reload(factory -> useIdentity(factory, renewed));
        } catch (Exception e) {
            throw new IllegalStateException("Jetty refused the renewed certificate: " + e.getMessage(), e);
        }
        served = renewed;
        for (Consumer<TlsIdentity> listener : renewalListeners) {
            try {
                listener.accept(renewed);
            } catch (RuntimeException e) {
                log.warn("the TURN TLS listener keeps its previous certificate: {}", e.getMessage());
            }
        }
        reloaded.increment();
    }

    void logListening(String displayHost, int plainPort) {
        String announced = config.sfu().announcedAddress();
        String lan = config.host().equals("0.0.0.0") && !announced.startsWith("127.")
                ? "; other devices: https://" + announced + ":" + port() : "";
        log.info("HTTPS on https://{}:{} (wss://…/ws){}; plain HTTP on {} redirects there", displayHost, port(), lan, plainPort);
    }

    /** Wraps the routes so that plain HTTP requests other than probes go to this listener. */
    Handler redirectPlainHttp(Handler routes) {
        return new HttpsRedirect(routes, this::port);
    }

    /** The bound port (useful when configured with port 0). */
    int port() {
        return connector.getLocalPort();
    }

    void close() {
        if (watcher != null) watcher.close();
        connector.close();
    }

    /** What is wrong with the certificate's validity period at {@code now}, or null. Not fatal: the operator may be renewing. */
    static String validityProblem(TlsIdentity identity, Instant now) {
        if (identity.notAfter().isBefore(now)) {
            return "the HTTPS certificate " + identity.subject() + " expired on " + identity.notAfter()
                    + ": browsers will refuse it; renew it (e.g. certbot renew)";
        }
        if (identity.notBefore().isAfter(now)) {
            return "the HTTPS certificate " + identity.subject() + " is not valid before " + identity.notBefore() + ": check this host's clock";
        }
        if (identity.notAfter().isBefore(now.plus(EXPIRY_WARNING))) {
            return "the HTTPS certificate " + identity.subject() + " expires on " + identity.notAfter() + "; renew it soon";
        }
        return null;
    }
}
