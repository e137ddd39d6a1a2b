/**
 * RTP packets (RFC 3550 §5.1) with RFC 8285 header extensions, RTX (RFC 4588) and sequence
 * number arithmetic. Pure code: no I/O, threads or logging.
 *
 * <p>Forwarding path: one {@link dev.parley.codec.rtp.RtpPacketView} per event loop,
 * {@code wrap(buf, off, len)} per datagram, then getters and in-place setters (SSRC, sequence
 * number, timestamp, payload type, marker, transport-wide sequence number, extension ids).
 * Nothing on that path allocates. {@link dev.parley.codec.rtp.RtpPacket} is the owned,
 * allocating form for building packets and for tests.
 *
 * <p>Errors: every malformed input is reported as the unchecked
 * {@link dev.parley.codec.rtp.RtpParseException}, thrown without a stack trace so that a
 * drop-and-count on the event loop stays cheap. Each codec package has its own such exception
 * ({@code RtcpParseException}, {@code SdpParseException}, {@code Vp8ParseException},
 * {@code H264ParseException}, {@code OpusParseException}) so a caller's catch names the
 * protocol that failed; {@code IllegalArgumentException} is kept for programming errors when
 * building values.
 */
package dev.parley.codec.rtp;
