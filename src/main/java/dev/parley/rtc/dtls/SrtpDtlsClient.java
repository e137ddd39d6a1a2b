package dev.parley.rtc.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;

/** BouncyCastle client peer, for Parley's Java load client and tests: mirror of {@link SrtpDtlsServer}. */
final class SrtpDtlsClient extends DefaultTlsClient {
    private final PeerVerifier peer;

    SrtpDtlsClient(PeerVerifier peer) {
        super(peer.crypto);
        this.peer = peer;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), PeerVerifier.CIPHER_SUITES);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        peer.addOfferedProfiles(extensions);
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        peer.acceptServerChoice(serverExtensions);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                peer.verify(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                return peer.signer(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        peer.export(context);
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        peer.alertRaised(alertLevel, alertDescription, message);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        peer.alertReceived(alertLevel, alertDescription);
    }
}
