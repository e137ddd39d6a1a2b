package dev.parley.rtc.ice;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.ErrorCode;
import dev.parley.codec.stun.Fingerprint;
import dev.parley.codec.stun.IceAttributes;
import dev.parley.codec.stun.MessageIntegrity;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import java.net.InetSocketAddress;

/**
 * The ICE-lite side of one transport (RFC 8445 §2.5): it never sends checks, it answers the
 * full agent's Binding requests and takes the address of the nominated pair. Consent freshness
 * (RFC 7675) is the time of the last authenticated request.
 */
public final class IceLiteAgent {
    /** RFC 7675 §5.1: consent expires 30 s after the last successful check. */
    public static final long CONSENT_TIMEOUT_NANOS = 30_000_000_000L;

    private final IceCredentials local;
    private final byte[] integrityKey;
    private String remoteUfrag;
    private InetSocketAddress selected;
    private long lastConsentNanos;

    public IceLiteAgent(IceCredentials local) {
        this.local = local;
        this.integrityKey = MessageIntegrity.shortTermKey(local.password());
    }

    public IceCredentials local() {
        return local;
    }

    /** The remote ufrag from the peer's SDP; requests must name it (RFC 8445 §7.3). */
    public void remoteUfrag(String ufrag) {
        this.remoteUfrag = ufrag;
    }

    /** The address media goes to: the last nominated (or first authenticated) pair. */
    public InetSocketAddress selectedAddress() {
        return selected;
    }

    public long lastConsentNanos() {
        return lastConsentNanos;
    }

    /** The local ufrag a Binding request addresses, or null: {@code USERNAME = local:remote}. */
    public static String localUfragOf(StunMessage request) {
        String username = request.username();
        if (username == null) return null;
        int colon = username.indexOf(':');
        return colon <= 0 ? null : username.substring(0, colon);
    }

    /** What happened to one request. */
    public enum Outcome {
        /** Answered; the pair is usable. */
        ANSWERED,
        /** Answered and this pair became the selected one (nomination or first pair). */
        SELECTED,
        /** Refused with an error response (bad credentials, role conflict). */
        REFUSED,
        /** Not a Binding request for us; dropped without answer. */
        IGNORED
    }

    /** The response to send back (null when ignored) and what it did. */
    public record Result(Outcome outcome, byte[] response) {}

    /** Handles a Binding request from {@code source} received at {@code nowNanos}. */
    public Result onRequest(StunMessage request, InetSocketAddress source, long nowNanos) {
        if (request.method() != StunMethod.BINDING || request.stunClass() != StunClass.REQUEST) {
            return new Result(Outcome.IGNORED, null);
        }
        String username = request.username();
        // RFC 8445 §7.3: missing USERNAME/MESSAGE-INTEGRITY is 400, wrong credentials 401.
        if (username == null || !MessageIntegrity.isPresent(request)) {
            return refuse(request, new ErrorCode(400, "Bad Request"));
        }
        String expectedPrefix = local.ufrag() + ":";
        if (!username.startsWith(expectedPrefix)
                || (remoteUfrag != null && !username.substring(expectedPrefix.length()).equals(remoteUfrag))
                || !MessageIntegrity.check(request, integrityKey)
                || (Fingerprint.isPresent(request) && !Fingerprint.check(request))) {
            return refuse(request, new ErrorCode(401, "Unauthorized"));
        }
        // RFC 8445 §6.1.1: a lite agent is always controlled; a peer claiming controlled too
        // is a role conflict (487), which browsers never cause against an a=ice-lite answer.
        try {
            if (IceAttributes.iceControlled(request).isPresent()) {
                return refuse(request, new ErrorCode(487, "Role Conflict"));
            }
        } catch (dev.parley.codec.stun.StunParseException e) {
            return refuse(request, new ErrorCode(400, "Bad Request"));
        }
        lastConsentNanos = nowNanos;
        boolean nominated = IceAttributes.useCandidate(request);
        boolean select = nominated || selected == null;
        if (select) selected = source;
        byte[] response = StunMessageBuilder.successResponse(request)
                .addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, source)
                .addMessageIntegrity(integrityKey)
                .addFingerprint()
                .build();
        return new Result(select ? Outcome.SELECTED : Outcome.ANSWERED, response);
    }

    private Result refuse(StunMessage request, ErrorCode error) {
        return new Result(Outcome.REFUSED, StunMessageBuilder.errorResponse(request, error).addFingerprint().build());
    }
}
