package dev.parley.rtc.srtp;

/**
 * AES_CM_128 encryption (RFC 3711 §4.1.1) with HMAC-SHA1 authentication (§4.2.1), for RTP
 * and RTCP. All buffers, the AES instances and the HMAC digests are created once per session, so a
 * packet allocates nothing.
 */
final class AesCmTransform implements PacketTransform {
    private final AesCounterMode rtpCipher;
    private final AesCounterMode rtcpCipher;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final int rtpTagLength;
    private final int rtcpTagLength;
    private final byte[] iv = new byte[16];
    private final byte[] rocBytes = new byte[4];
    private final byte[] digest = new byte[20];

    AesCmTransform(SrtpProfile profile, SessionKeys keys) {
        rtpCipher = new AesCounterMode(keys.rtpKey());
        rtcpCipher = new AesCounterMode(keys.rtcpKey());
        rtpMac = new HmacSha1(keys.rtpAuthKey());
        rtcpMac = new HmacSha1(keys.rtcpAuthKey());
        rtpSalt = keys.rtpSalt();
        rtcpSalt = keys.rtcpSalt();
        rtpTagLength = profile.rtpTagLength();
        rtcpTagLength = profile.rtcpTagLength();
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        rtpCipher.apply(rtpIv(ssrc, index), buf, off + headerLength, len - headerLength);
        rtpTag(buf, off, len, (int) (index >>> 16));
        System.arraycopy(digest, 0, buf, off + len, rtpTagLength);
        return len + rtpTagLength;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        int authenticated = len - rtpTagLength;
        rtpTag(buf, off, authenticated, (int) (index >>> 16));
        if (!tagMatches(buf, off + authenticated, rtpTagLength)) {
            return SrtpFailure.AUTH_FAILED.code();
        }
        rtpCipher.apply(rtpIv(ssrc, index), buf, off + headerLength, authenticated - headerLength);
        return authenticated;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        rtcpCipher.apply(rtcpIv(ssrc, index), buf, off + 8, len - 8);
        int word = index | 0x80000000;
        putInt(buf, off + len, word);
        rtcpMac.update(buf, off, len + 4);
        doFinal(rtcpMac);
        System.arraycopy(digest, 0, buf, off + len + 4, rtcpTagLength);
        return len + 4 + rtcpTagLength;
    }

    @Override
    public int rtcpIndexWordOffset(int off, int len) {
        // RFC 3711 §3.4: ... | E | SRTCP index | MKI (unused) | authentication tag
        return off + len - rtcpTagLength - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int indexWord) {
        int authenticated = len - rtcpTagLength;
        rtcpMac.update(buf, off, authenticated);
        doFinal(rtcpMac);
        if (!tagMatches(buf, off + authenticated, rtcpTagLength)) {
            return SrtpFailure.AUTH_FAILED.code();
        }
        int clear = authenticated - 4;
        if (indexWord < 0) { // E-bit set: payload after the first 8 bytes is encrypted
            rtcpCipher.apply(rtcpIv(ssrc, indexWord & 0x7FFFFFFF), buf, off + 8, clear - 8);
        }
        return clear;
    }

    /** RFC 3711 §4.2: tag = HMAC(k_a, authenticated portion || ROC). */
    private void rtpTag(byte[] buf, int off, int len, int roc) {
        rtpMac.update(buf, off, len);
        putInt(rocBytes, 0, roc);
        rtpMac.update(rocBytes, 0, 4);
        doFinal(rtpMac);
    }

    private void doFinal(HmacSha1 mac) {
        mac.doFinal(digest, 0);
    }

    /** Constant-time: how many tag bytes differ must not leak through timing. */
    private boolean tagMatches(byte[] buf, int at, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= buf[at + i] ^ digest[i];
        }
        return diff == 0;
    }

    /** §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    private byte[] rtpIv(int ssrc, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        xorSsrcAndIndex(ssrc, index);
        return iv;
    }

    /** §4.1.1 applied to SRTCP (§3.4): the 31-bit SRTCP index takes the packet index's place. */
    private byte[] rtcpIv(int ssrc, int index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        xorSsrcAndIndex(ssrc, index & 0x7FFFFFFFL);
        return iv;
    }

    private void xorSsrcAndIndex(int ssrc, long index) {
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
