/**
 * X.509 identities for TLS listeners (HTTPS/WSS in {@code server}, {@code turns:} in {@code turn}):
 * read from PEM files as operators get them from a CA or certbot, or a self-signed ECDSA P-256 dev
 * certificate made at start.
 *
 * <p>It lives in {@code rtc}, the lowest layer that does I/O, because two layers above need the same
 * thing: {@code turn} for its TLS listener (RFC 8656 §3.1, RFC 7065 {@code turns:}) and
 * {@code server} for HTTPS. DTLS for media uses its own per-process certificate
 * ({@link dev.parley.rtc.dtls.DtlsCertificate}): WebRTC trusts it by fingerprint, not by name.
 * <pre>{@code
 * TlsIdentity identity = PemFiles.read(Path.of("fullchain.pem"), Path.of("privkey.pem"));
 * TlsIdentity dev = SelfSignedCertificate.generate("parley-dev", List.of("localhost", "127.0.0.1"), Duration.ofDays(365));
 * log.info("certificate SHA-256 {}", dev.sha256Fingerprint());
 * }</pre>
 */
package dev.parley.rtc.tls;
