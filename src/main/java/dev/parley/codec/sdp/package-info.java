/**
 * SDP (RFC 8866) as WebRTC uses it (JSEP, RFC 8829): Unified Plan media sections, BUNDLE,
 * ICE, DTLS, codecs, header extensions, SSRCs, rid/simulcast and data channels.
 *
 * <p>{@link dev.parley.codec.sdp.SessionDescription#parse} reads an offer or answer;
 * {@code toString()} writes CRLF text. Lines keep their order and unmodelled attributes are
 * kept verbatim, so a browser's description round-trips byte for byte. Structured attributes
 * are records implementing the sealed {@link dev.parley.codec.sdp.Attribute}; answers are
 * built from records ({@code MediaDescription.of}, {@code with…} methods).
 *
 * <p>Errors: unchecked {@link dev.parley.codec.sdp.SdpParseException} naming the line.
 */
package dev.parley.codec.sdp;
