package dev.parley.codec.stun;

import java.util.OptionalLong;

/** RFC 8445 §7.1.1 / §16.1 attributes of ICE connectivity checks: PRIORITY, USE-CANDIDATE, ICE-CONTROLLING, ICE-CONTROLLED. */
public final class IceAttributes {
    private IceAttributes() {
    }

    /** PRIORITY (32-bit unsigned), or empty when absent. */
    public static OptionalLong priority(StunMessage message) throws StunParseException {
        long p = message.uint32(AttributeType.PRIORITY);
        return p < 0 ? OptionalLong.empty() : OptionalLong.of(p);
    }

    /** USE-CANDIDATE flag (nominates the pair). */
    public static boolean useCandidate(StunMessage message) {
        return message.has(AttributeType.USE_CANDIDATE);
    }

    /** ICE-CONTROLLING tie-breaker, or empty when the sender is not controlling. */
    public static OptionalLong iceControlling(StunMessage message) throws StunParseException {
        return message.uint64(AttributeType.ICE_CONTROLLING);
    }

    /** ICE-CONTROLLED tie-breaker, or empty when the sender is not controlled. */
    public static OptionalLong iceControlled(StunMessage message) throws StunParseException {
        return message.uint64(AttributeType.ICE_CONTROLLED);
    }
}
