package dev.parley.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTPS/WSS as configured: off, from PEM files, or with a generated dev certificate.
 *
 * @param port              HTTPS/WSS port (0 picks a free one in tests)
 * @param certificate       PEM chain given with --tls-cert (with {@code privateKey})
 * @param privateKey        PEM private key given with --tls-key
 * @param devCertificate    generate a self-signed certificate for this host's names instead
 * @param devCertificateDir where the dev certificate is kept across restarts; empty: a new one each start
 * @param reloadInterval    how often the --tls-cert/--tls-key files are checked for a renewed certificate; zero: never
 */
public record TlsConfig(int port, Optional<Path> certificate, Optional<Path> privateKey, boolean devCertificate,
        Optional<Path> devCertificateDir, Duration reloadInterval) {

    /** Plain HTTP only, as without any --tls-* option. */
    public static TlsConfig off() {
        return new TlsConfig(8443, Optional.empty(), Optional.empty(), false, Optional.empty(), Duration.ofSeconds(30));
    }

    /** Whether Parley serves HTTPS/WSS itself. */
    public boolean enabled() {
        return certificate.isPresent() || devCertificate;
    }

    /** A copy on another port (tests use 0 for a free one). */
    public TlsConfig withPort(int newPort) {
        return new TlsConfig(newPort, certificate, privateKey, devCertificate, devCertificateDir, reloadInterval);
    }
}
