/**
 * STUN message codec: RFC 8489 (STUN), RFC 8656 (TURN attributes, ChannelData), RFC 6062
 * (CONNECTION-ID) and RFC 8445 (ICE attributes). Pure: no I/O, threads or logging. Decoders return a
 * value or throw {@link dev.parley.codec.stun.StunParseException}, nothing else.
 *
 * <p>What an ICE agent needs, end to end:
 * <pre>{@code
 * if (!StunMessage.looksLikeStun(buf, off, len)) return;             // RFC 7983 demux
 * StunMessage req = StunMessage.decode(buf, off, len);                // throws StunParseException
 * if (Fingerprint.isPresent(req) && !Fingerprint.check(req)) return;
 * String username = req.username();                                   // "localUfrag:remoteUfrag"
 * boolean ok = MessageIntegrity.check(req, MessageIntegrity.shortTermKey(localPassword));
 * long priority = IceAttributes.priority(req).orElse(0);
 * boolean nominated = IceAttributes.useCandidate(req);
 * OptionalLong controlling = IceAttributes.iceControlling(req);       // tie-breaker, if sent
 * byte[] resp = StunMessageBuilder.successResponse(req)
 *         .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, source)
 *         .addMessageIntegrity(MessageIntegrity.shortTermKey(localPassword))
 *         .addFingerprint()
 *         .build();
 * }</pre>
 * Errors (e.g. 487 Role Conflict, 401): {@code StunMessageBuilder.errorResponse(req, ErrorCode.ROLE_CONFLICT)}.
 */
package dev.parley.codec.stun;
