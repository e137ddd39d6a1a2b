package dev.parley.codec.sdp;

import java.util.List;

/**
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>} (RFC 8866 §5.2).
 * JSEP (RFC 8829 §5.2.1) wants a random 63-bit session id and a version that grows on every
 * renegotiation; ids are kept as text because the grammar allows more digits than a long.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {
    public Origin {
        for (String s : List.of(username, sessionId, sessionVersion, netType, addrType, address)) {
            SdpText.requireToken(s, "origin field");
        }
    }

    static Origin parse(String value) {
        List<String> f = SdpText.fields(value, "o=");
        if (f.size() != 6) {
            throw new SdpParseException("o= needs 6 fields");
        }
        for (String s : f) {
            SdpText.token(s, "origin field");
        }
        return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
    }

    /** The same origin with the version incremented, for a renegotiation (RFC 8829 §5.2.2). */
    public Origin nextVersion() {
        return new Origin(username, sessionId, new java.math.BigInteger(sessionVersion).add(java.math.BigInteger.ONE)
                .toString(), netType, addrType, address);
    }

    String format() {
        return String.join(" ", username, sessionId, sessionVersion, netType, addrType, address);
    }
}
