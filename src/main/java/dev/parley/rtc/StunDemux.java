package dev.parley.rtc;

import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunParseException;

/** The STUN branch shared by the UDP and ICE-TCP demultiplexers (RFC 7983 §7: first byte 0-3). */
final class StunDemux {
    private StunDemux() {}

    /** The decoded message, or null (counted as malformed) when the bytes are not STUN. */
    static StunMessage decode(byte[] buf, int len, RtcMetrics metrics) {
        try {
            if (StunMessage.looksLikeStun(buf, 0, len)) return StunMessage.decode(buf, 0, len);
        } catch (StunParseException e) {
            // counted below
        }
        metrics.malformed.increment();
        return null;
    }
}
