package dev.parley.rtc.srtp;

/**
 * One direction of SRTP/SRTCP for a transport: the session keys derived from one master key
 * and salt, and a cryptographic context per SSRC (RFC 3711 §3.2). The SFU holds two: one keyed
 * with the remote side's write key for {@code unprotect*}, one with its own for {@code protect*}.
 *
 * <p>Every method works in place on {@code buf[off, off+len)}. Protect needs
 * {@link SrtpProfile#rtpOverhead()} / {@link SrtpProfile#rtcpOverhead()} spare bytes after the
 * packet and returns the new length. Unprotect returns the clear length (≥ 0) or the negative
 * {@link SrtpFailure#code()} of why the packet was dropped; a dropped packet leaves the
 * context unchanged. Not thread-safe: confine a session to its transport's event loop.
 */
public final class SrtpSession {
    /** SSRCs one session tracks at most; a peer sending more is misbehaving. */
    public static final int MAX_SSRCS = 4096;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;

    private final SrtpProfile profile;
    private final PacketTransform transform;
    private final SsrcContextTable contexts = new SsrcContextTable(MAX_SSRCS);
    /** Reused for an SSRC's first packet, so an unauthenticated one creates no state. */
    private final SsrcContext probe = new SsrcContext(0);

    private SrtpSession(SrtpProfile profile, PacketTransform transform) {
        this.profile = profile;
        this.transform = transform;
    }

    /** A session keyed with a DTLS-exported master key and salt (RFC 3711 §4.3 derivation). */
    public static SrtpSession create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return withSessionKeys(profile, KeyDerivation.derive(profile, masterKey, masterSalt));
    }

    static SrtpSession withSessionKeys(SrtpProfile profile, SessionKeys keys) {
        PacketTransform t = profile.isAead() ? new AeadGcmTransform(keys) : new AesCmTransform(profile, keys);
        return new SrtpSession(profile, t);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts and tags an RTP packet (RFC 3711 §3.3). Returns the protected length, or
     * {@link SrtpFailure#MALFORMED}/{@link SrtpFailure#TOO_MANY_SSRCS} codes.
     *
     * @throws IllegalArgumentException if {@code buf} has no room for the tag
     */
    public int protectRtp(byte[] buf, int off, int len) {
        requireRoom(buf, off, len, profile.rtpOverhead());
        int headerLength = rtpHeaderLength(buf, off, len);
        if (headerLength < 0 || len - headerLength > AesCounterMode.maxLength()) {
            return SrtpFailure.MALFORMED.code();
        }
        int ssrc = readInt(buf, off + 8);
        SsrcContext ctx = contexts.get(ssrc);
        if (ctx == null && (ctx = contexts.create(ssrc)) == null) {
            return SrtpFailure.TOO_MANY_SSRCS.code();
        }
        // The sender estimates like a receiver so a retransmission from before a wrap keeps its ROC.
        long index = ctx.estimateIndex(readShort(buf, off + 2));
        if (index < 0) {
            return SrtpFailure.TOO_OLD.code();
        }
        ctx.commit(index);
        return transform.protectRtp(buf, off, len, headerLength, ssrc, index);
    }

    /** Verifies, replay-checks and decrypts an SRTP packet (RFC 3711 §3.3, §3.3.1, §3.3.2). */
    public int unprotectRtp(byte[] buf, int off, int len) {
        int tagLength = profile.rtpTagLength();
        if (len < RTP_HEADER + tagLength) {
            return SrtpFailure.MALFORMED.code();
        }
        int headerLength = rtpHeaderLength(buf, off, len - tagLength);
        if (headerLength < 0 || len - headerLength > AesCounterMode.maxLength()) {
            return SrtpFailure.MALFORMED.code();
        }
        int ssrc = readInt(buf, off + 8);
        SsrcContext ctx = contexts.get(ssrc);
        SsrcContext estimator = ctx != null ? ctx : probe;
        if (ctx == null) {
            probe.rtpStarted = false;
        }
        long index = estimator.estimateIndex(readShort(buf, off + 2));
        if (index < 0) {
            return SrtpFailure.TOO_OLD.code();
        }
        if (ctx != null) {
            int replay = ctx.rtpReplay.check(index);
            if (replay != ReplayWindow.ACCEPT) {
                return replay;
            }
        }
        int clear = transform.unprotectRtp(buf, off, len, headerLength, ssrc, index);
        if (clear < 0) {
            return clear;
        }
        if (ctx == null && (ctx = contexts.create(ssrc)) == null) {
            return SrtpFailure.TOO_MANY_SSRCS.code();
        }
        ctx.commit(index);
        ctx.rtpReplay.accept(index);
        return clear;
    }

    /** Encrypts and tags an RTCP compound packet with the next SRTCP index of its SSRC (§3.4). */
    public int protectRtcp(byte[] buf, int off, int len) {
        requireRoom(buf, off, len, profile.rtcpOverhead());
        if (len < RTCP_HEADER || (buf[off] & 0xC0) != 0x80) {
            return SrtpFailure.MALFORMED.code();
        }
        int ssrc = readInt(buf, off + 4);
        SsrcContext ctx = contexts.get(ssrc);
        if (ctx == null && (ctx = contexts.create(ssrc)) == null) {
            return SrtpFailure.TOO_MANY_SSRCS.code();
        }
        int index = ctx.nextRtcpIndex;
        // §3.4: the index is 31 bits; wrapping would reuse keystream, which the rekey must prevent.
        ctx.nextRtcpIndex = (index + 1) & 0x7FFFFFFF;
        return transform.protectRtcp(buf, off, len, ssrc, index);
    }

    /** Verifies, replay-checks and decrypts an SRTCP packet (RFC 3711 §3.4, RFC 7714 §9). */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (len < RTCP_HEADER + profile.rtcpOverhead() || (buf[off] & 0xC0) != 0x80) {
            return SrtpFailure.MALFORMED.code();
        }
        int ssrc = readInt(buf, off + 4);
        int word = readInt(buf, transform.rtcpIndexWordOffset(off, len));
        long index = word & 0x7FFFFFFFL;
        SsrcContext ctx = contexts.get(ssrc);
        if (ctx != null) {
            int replay = ctx.rtcpReplay.check(index);
            if (replay != ReplayWindow.ACCEPT) {
                return replay;
            }
        }
        int clear = transform.unprotectRtcp(buf, off, len, ssrc, word);
        if (clear < 0) {
            return clear;
        }
        if (ctx == null && (ctx = contexts.create(ssrc)) == null) {
            return SrtpFailure.TOO_MANY_SSRCS.code();
        }
        ctx.rtcpReplay.accept(index);
        return clear;
    }

    /**
     * Forgets an SSRC (a producer left, a consumer closed), freeing its slot under
     * {@link #MAX_SSRCS}. A later packet on it starts a fresh context, so only remove SSRCs
     * that will not come back under the same keys.
     */
    public boolean removeSsrc(int ssrc) {
        return contexts.remove(ssrc);
    }

    /** Number of SSRCs with a context in this session. */
    public int ssrcCount() {
        return contexts.size();
    }

    /** Test hook: start an SSRC's SRTCP index elsewhere than 0, as RFC 7714 §17 does. */
    void setNextRtcpIndex(int ssrc, int index) {
        SsrcContext ctx = contexts.get(ssrc);
        if (ctx == null) {
            ctx = contexts.create(ssrc);
        }
        ctx.nextRtcpIndex = index;
    }

    /** Test hook: start an SSRC's sending ROC elsewhere than 0. */
    void setRolloverCounter(int ssrc, int roc, int highestSeq) {
        SsrcContext ctx = contexts.get(ssrc);
        if (ctx == null) {
            ctx = contexts.create(ssrc);
        }
        ctx.roc = roc;
        ctx.highestSeq = highestSeq;
        ctx.rtpStarted = true;
    }

    /** RFC 3550 §5.1 fixed header, CSRCs, and the RFC 8285 extension block; -1 if it overruns. */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < RTP_HEADER || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int headerLength = RTP_HEADER + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (headerLength + 4 > len) {
                return -1;
            }
            headerLength += 4 + 4 * readShort(buf, off + headerLength + 2);
        }
        return headerLength <= len ? headerLength : -1;
    }

    private static void requireRoom(byte[] buf, int off, int len, int overhead) {
        if (off < 0 || len < 0 || buf.length - off - len < overhead) {
            throw new IllegalArgumentException("buffer needs " + overhead + " spare bytes after the packet");
        }
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
