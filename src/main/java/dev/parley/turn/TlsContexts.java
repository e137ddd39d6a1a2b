package dev.parley.turn;

import dev.parley.rtc.tls.PemFiles;
import dev.parley.rtc.tls.SelfSignedCertificate;
import dev.parley.rtc.tls.TlsIdentity;
import dev.parley.rtc.tls.TlsIdentityException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Server TLS contexts for the turns: listener: from the PEM files in the settings, else from the
 * identity the process already has (the HTTPS certificate), else a fresh self-signed dev certificate.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    static SslContext forServer(TurnSettings settings, TlsIdentity fallback) throws SSLException, TlsIdentityException {
        TlsIdentity identity;
        if (settings.tlsCertificate() != null) {
            identity = PemFiles.read(settings.tlsCertificate(), settings.tlsPrivateKey());
        } else if (fallback != null) {
            identity = fallback;
        } else {
            identity = SelfSignedCertificate.generate("parley-turn-dev", List.of("localhost", "127.0.0.1"), Duration.ofDays(365));
        }
        return forIdentity(identity);
    }

    static SslContext forIdentity(TlsIdentity identity) throws SSLException {
        return SslContextBuilder.forServer(identity.privateKey(), identity.chain().toArray(X509Certificate[]::new)).build();
    }
}
