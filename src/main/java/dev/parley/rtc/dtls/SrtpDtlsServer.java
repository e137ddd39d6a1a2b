package dev.parley.rtc.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsUtils;

/** BouncyCastle server peer: DTLS 1.2, ECDSA, client certificate required, use_srtp. */
final class SrtpDtlsServer extends DefaultTlsServer {
    private final PeerVerifier peer;

    SrtpDtlsServer(PeerVerifier peer) {
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
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return peer.signer(context);
    }

    /** The client's certificate is the only thing that authenticates it, so it is required. */
    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        peer.verify(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        peer.chooseProfile(clientExtensions);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        peer.addChosenProfile(extensions);
        return extensions;
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
