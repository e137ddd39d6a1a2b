/**
 * SRTP and SRTCP (RFC 3711) with AES_CM_128_HMAC_SHA1_80/_32 and AEAD_AES_128_GCM (RFC 7714),
 * protecting and unprotecting packets in place on the event loop.
 *
 * <p><b>Why hand-written over JCE rather than jitsi-srtp.</b> org.jitsi:jitsi-srtp was evaluated
 * first. It is not among the Maven artifacts known to be served here, and it is not light: it
 * depends on jitsi-utils (and through it the Kotlin standard library) and ships JNI bindings to
 * OpenSSL for speed, which this project would not load. Its pure-Java path is itself a thin layer
 * over JCE. The JDK's AES (ECB and GCM) and HmacSHA1 use AES-NI/CLMUL/SHA intrinsics, so the
 * few hundred lines here get the same primitives with no new dependency, and let the hot path
 * reuse its buffers and {@code Cipher}/{@code Mac} instances.
 *
 * <p><b>Entry point.</b> {@link dev.parley.rtc.srtp.SrtpSession}: one per direction of a
 * transport, built from the DTLS-exported master key and salt
 * ({@link dev.parley.rtc.srtp.SrtpSession#create}). It keeps one cryptographic context per SSRC
 * (rollover counter, replay window, SRTCP index). Unprotect returns the clear length or a
 * negative code naming a {@link dev.parley.rtc.srtp.SrtpFailure}, so the caller counts failures
 * without exceptions or allocation.
 *
 * <p><b>Threading.</b> A session is confined to one thread (the transport's event loop); it
 * takes no locks.
 *
 * <p><b>Allocation.</b> AES-CM and HMAC-SHA1 packets allocate nothing once a session has seen
 * its SSRCs (buffers grow once to the largest packet). AES-GCM allocates per packet inside JCE:
 * {@code Cipher.init} needs a fresh {@code GCMParameterSpec} (it copies the IV) and the JDK's
 * GCM keeps internal state per init; an authentication failure in GCM allocates the
 * {@code AEADBadTagException} JCE throws. These are documented where they occur.
 */
package dev.parley.rtc.srtp;
