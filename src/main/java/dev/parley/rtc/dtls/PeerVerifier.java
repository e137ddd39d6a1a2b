package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What the DTLS server and client share: the certificate they present, the fingerprint they
 * expect, the SRTP profile negotiation (RFC 5764 §4.1) and the key export (§4.2). The outcome
 * (profile, keys, or the reason it failed) is read by {@link DtlsEndpoint} when the blocking
 * handshake returns.
 */
final class PeerVerifier {
    /**
     * ECDHE-ECDSA only: both ends use ECDSA certificates, and these are the suites browsers
     * offer for DTLS 1.2. CBC stays for older Firefox builds.
     */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    final DtlsConfig config;
    final DtlsFingerprint expected;
    final DtlsRole role;
    final BcTlsCrypto crypto;
    private final Certificate ownChain;

    volatile SrtpProfile profile;
    volatile SrtpKeyingMaterial keys;
    volatile boolean fingerprintMismatch;
    volatile DtlsClose alert;

    PeerVerifier(DtlsConfig config, DtlsFingerprint expected, DtlsRole role, BcTlsCrypto crypto) throws IOException {
        this.config = config;
        this.expected = expected;
        this.role = role;
        this.crypto = crypto;
        TlsCertificate own = crypto.createCertificate(config.certificate().derUnsafe());
        this.ownChain = new Certificate(new TlsCertificate[] {own});
    }

    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                config.certificate().privateKey(), ownChain,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** RFC 8827 §6.5: the peer's leaf certificate must hash to the SDP fingerprint. */
    void verify(Certificate peerChain) throws IOException {
        if (peerChain == null || peerChain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        if (!expected.matches(peerChain.getCertificateAt(0).getEncoded())) {
            fingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate does not match a=fingerprint");
        }
    }

    /** Server side: the first of our profiles (preference order) that the client offers. */
    void chooseProfile(Hashtable<?, ?> clientExtensions) throws IOException {
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        for (SrtpProfile candidate : config.srtpProfiles()) {
            for (int id : offered.getProtectionProfiles()) {
                if (id == candidate.dtlsId()) {
                    profile = candidate;
                    return;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    /** use_srtp for the ServerHello: exactly the chosen profile and no MKI (§4.1.1). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    void addChosenProfile(Hashtable serverExtensions) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(serverExtensions,
                new UseSRTPData(new int[] {profile.dtlsId()}, TlsUtils.EMPTY_BYTES));
    }

    /** use_srtp for the ClientHello: every configured profile, in preference order. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    void addOfferedProfiles(Hashtable clientExtensions) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(clientExtensions,
                new UseSRTPData(config.profileIds(), TlsUtils.EMPTY_BYTES));
    }

    /** Client side: the server must pick exactly one of the profiles offered (§4.1.1). */
    void acceptServerChoice(Hashtable<?, ?> serverExtensions) throws IOException {
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server did not select one SRTP profile");
        }
        SrtpProfile p = SrtpProfile.fromDtlsId(chosen.getProtectionProfiles()[0]);
        if (p == null || !config.srtpProfiles().contains(p)) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server selected an SRTP profile not offered");
        }
        profile = p;
    }

    /** RFC 5764 §4.2: EXTRACTOR-dtls_srtp with no context, split by writer. */
    void export(TlsContext context) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                SrtpKeyingMaterial.exportLength(profile));
        keys = SrtpKeyingMaterial.split(profile, role, material);
        java.util.Arrays.fill(material, (byte) 0);
    }

    void alertRaised(short level, short description, String message) {
        if (level == org.bouncycastle.tls.AlertLevel.fatal) {
            DtlsClose.Kind kind = fingerprintMismatch ? DtlsClose.Kind.FINGERPRINT_MISMATCH : DtlsClose.Kind.ALERT_RAISED;
            alert = new DtlsClose(kind, description,
                    org.bouncycastle.tls.AlertDescription.getText(description) + (message == null ? "" : ": " + message));
        }
    }

    void alertReceived(short level, short description) {
        DtlsClose.Kind kind = description == AlertDescription.close_notify
                ? DtlsClose.Kind.CLOSE_NOTIFY : DtlsClose.Kind.ALERT_RECEIVED;
        if (kind == DtlsClose.Kind.CLOSE_NOTIFY || level == org.bouncycastle.tls.AlertLevel.fatal) {
            alert = new DtlsClose(kind, description, AlertDescription.getText(description));
        }
    }
}
