package dev.parley.server;

import dev.parley.rtc.tls.PemFiles;
import dev.parley.rtc.tls.TlsIdentity;
import dev.parley.rtc.tls.TlsIdentityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a renewed certificate (certbot replacing the files behind live/ symlinks, or a copy by
 * hand) by polling the files' modification time and size, and hands the new identity on. Files
 * that do not read as a matching pair (a copy half done) are skipped with one warning; the
 * listeners keep the certificate they have until a good pair appears.
 */
final class CertificateWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateWatcher.class);

    private final Path certificate;
    private final Path key;
    private final Consumer<TlsIdentity> onRenewal;
    private final Runnable onRefusal;
    private final ScheduledExecutorService timer;
    private List<Object> loaded;
    private List<Object> refused;

    /** Starts polling every {@code interval}; the files as they are now count as loaded. */
    CertificateWatcher(Path certificate, Path key, Duration interval, Consumer<TlsIdentity> onRenewal, Runnable onRefusal) {
        this.certificate = certificate;
        this.key = key;
        this.onRenewal = onRenewal;
        this.onRefusal = onRefusal;
        this.loaded = stamp();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One poll: reloads when either file changed since the last good load. File reads stay off Jetty's threads. */
    synchronized void check() {
        List<Object> now = stamp();
        if (now.equals(loaded) || now.equals(refused)) return;
        try {
            TlsIdentity renewed = PemFiles.read(certificate, key);
            onRenewal.accept(renewed);
            loaded = now;
            refused = null;
            log.info("HTTPS certificate reloaded from {}: {} for {}, valid until {}, SHA-256 {}", certificate, renewed.subject(),
                    renewed.names(), renewed.notAfter(), renewed.sha256Fingerprint());
        } catch (TlsIdentityException | RuntimeException e) {
            refused = now;
            onRefusal.run();
            log.warn("HTTPS certificate files changed but cannot be used ({}); still serving the previous certificate", e.getMessage());
        }
    }

    /** Modification time and size of both files, following symlinks; "missing" while a file is absent. */
    private List<Object> stamp() {
        return List.of(stampOf(certificate), stampOf(key));
    }

    private static Object stampOf(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant() + ":" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
