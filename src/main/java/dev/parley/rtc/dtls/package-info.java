/**
 * DTLS 1.2 with the use_srtp extension (RFC 5764) over BouncyCastle bctls, for one transport.
 *
 * <p>BouncyCastle's DTLS API blocks on a {@code DatagramTransport}. {@link
 * dev.parley.rtc.dtls.DtlsEndpoint} hides that: the event loop hands it received DTLS records
 * with {@code receive} (they are copied into a bounded queue), records to send come back through
 * a {@link dev.parley.rtc.dtls.DtlsEndpoint.RecordSender}, and the handshake runs on an executor
 * the caller supplies. On success the listener gets the {@link
 * dev.parley.rtc.dtls.SrtpKeyingMaterial} exported with {@code EXTRACTOR-dtls_srtp}; from then on
 * SRTP runs on the loop and DTLS only sees the odd alert or retransmission.
 *
 * <p>Peers are authenticated by certificate fingerprint from the remote SDP (RFC 8122,
 * RFC 8827 §6.5), not by a CA: {@link dev.parley.rtc.dtls.DtlsCertificate} makes the
 * self-signed ECDSA P-256 certificate and its {@code a=fingerprint} value.
 *
 * <p>How a transport uses it (SFU side, a=setup:passive):
 * <pre>{@code
 * DtlsConfig config = DtlsConfig.defaults(DtlsCertificate.generate());   // once per process
 * DtlsEndpoint dtls = DtlsEndpoint.server(config, DtlsFingerprint.parse(remoteSdpFingerprint),
 *         (buf, off, len) -> loop.execute(() -> socket.send(copy(buf, off, len), remote)),
 *         new DtlsEndpoint.Listener() {
 *             public void onConnected(SrtpKeyingMaterial keys) {
 *                 loop.execute(() -> { inbound = keys.newReceiverSession();
 *                                      outbound = keys.newSenderSession(); });
 *             }
 *             public void onClosed(DtlsClose reason) { loop.execute(transport::close); }
 *         }, handshakeExecutor);
 * dtls.start();
 * // on the loop, per datagram: first byte 20..63 -> dtls.receive(buf, off, len);
 * // 128..191 -> inbound.unprotectRtp / unprotectRtcp (RFC 7983 demultiplexing)
 * }</pre>
 */
package dev.parley.rtc.dtls;
