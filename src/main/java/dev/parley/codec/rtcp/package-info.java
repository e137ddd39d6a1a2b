/**
 * RTCP compound packets (RFC 3550 §6) and the feedback messages a WebRTC SFU needs: SR, RR,
 * SDES, BYE, generic NACK (RFC 4585 §6.2.1), PLI (§6.3.1), FIR (RFC 5104 §4.3.1), REMB
 * (draft-alvestrand-rmcat-remb) and transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). Each parses and builds.
 *
 * <p>Receiving: {@link dev.parley.codec.rtcp.RtcpCompoundIterator} walks a datagram without
 * allocating and exposes type, format and SSRCs so unhandled packets are skipped cheaply;
 * {@code parse()} on the current packet gives a {@link dev.parley.codec.rtcp.RtcpPacket}
 * record for a {@code switch}. {@link dev.parley.codec.rtcp.Rtcp#parseCompound} does both.
 * Sending: build records and {@link dev.parley.codec.rtcp.Rtcp#marshalCompound} them.
 *
 * <p>Errors: unchecked {@link dev.parley.codec.rtcp.RtcpParseException}, no stack trace.
 */
package dev.parley.codec.rtcp;
