package dev.parley.rtc.srtp;

/**
 * The cipher half of a session: encrypts and authenticates one packet in place once
 * {@link SrtpSession} has parsed it and settled its index. Two implementations, one per family.
 */
sealed interface PacketTransform permits AesCmTransform, AeadGcmTransform {

    /** Protects {@code buf[off, off+len)} whose RTP header is {@code headerLength}; returns new length. */
    int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Verifies and decrypts; returns the clear length, or {@link SrtpFailure#AUTH_FAILED}'s code. */
    int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Protects an RTCP compound packet with this SRTCP index (E-bit set); returns new length. */
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int index);

    /** Offset of the E-bit/SRTCP index word in a protected RTCP packet of this length. */
    int rtcpIndexWordOffset(int off, int len);

    /** Verifies and, if the E-bit says so, decrypts; returns the clear length or a failure code. */
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int indexWord);
}
