package dev.parley.rtc.srtp;

/**
 * Per-SSRC state of an SRTP cryptographic context (RFC 3711 §3.2.1): rollover counter, highest
 * sequence number, replay lists for SRTP and SRTCP, and the next SRTCP index this side sends.
 */
final class SsrcContext {
    static final int RTP_REPLAY_WINDOW = 1024;
    static final int RTCP_REPLAY_WINDOW = 128;

    final int ssrc;
    /** Rollover counter (ROC). */
    int roc;
    /** s_l: highest sequence number seen (received) or sent, with {@link #roc}. */
    int highestSeq;
    /** Whether any RTP packet has been accepted; before it there is no s_l to estimate from. */
    boolean rtpStarted;
    final ReplayWindow rtpReplay = new ReplayWindow(RTP_REPLAY_WINDOW);
    final ReplayWindow rtcpReplay = new ReplayWindow(RTCP_REPLAY_WINDOW);
    /** Next SRTCP index to send (31 bits, RFC 3711 §3.4). */
    int nextRtcpIndex;

    SsrcContext(int ssrc) {
        this.ssrc = ssrc;
    }

    /**
     * RFC 3711 §3.3.1 / Appendix A: the packet index this sequence number most likely carries,
     * judged against s_l. Pure; state changes only in {@link #commit} after authentication.
     */
    long estimateIndex(int seq) {
        if (!rtpStarted) {
            return seq;
        }
        long v = roc;
        if (highestSeq < 0x8000) {
            if (seq - highestSeq > 0x8000) {
                v = roc - 1L;
            }
        } else if (highestSeq - 0x8000 > seq) {
            v = roc + 1L;
        }
        return (v << 16) | seq;
    }

    /** Updates ROC and s_l once a packet with this index has authenticated (§3.3.1). */
    void commit(long index) {
        long current = ((long) roc << 16) | highestSeq;
        if (!rtpStarted || index > current) {
            roc = (int) (index >>> 16);
            highestSeq = (int) (index & 0xFFFF);
            rtpStarted = true;
        }
    }
}
