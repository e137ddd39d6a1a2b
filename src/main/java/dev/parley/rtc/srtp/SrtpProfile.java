package dev.parley.rtc.srtp;

/**
 * The SRTP protection profiles Parley negotiates, with the DTLS-SRTP ids of RFC 5764 §4.1.2
 * and RFC 7714 §14.2, and the key, salt and tag sizes each one fixes.
 */
public enum SrtpProfile {
    /** RFC 3711 default transform; 80-bit tags on both RTP and RTCP. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    /** As _80 but a 32-bit RTP tag; RTCP keeps 80 bits (RFC 5764 §4.1.2). */
    AES_CM_128_HMAC_SHA1_32(0x0002, 16, 14, 4, 10),
    /** RFC 7714: AES-GCM with a 96-bit salt and a 128-bit tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16);

    private final int dtlsId;
    private final int keyLength;
    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpProfile(int dtlsId, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength) {
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** SRTPProtectionProfile value carried in the use_srtp extension. */
    public int dtlsId() {
        return dtlsId;
    }

    /** Master (and session) key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes a protected RTP packet grows by. */
    public int rtpOverhead() {
        return rtpTagLength;
    }

    /** Bytes a protected RTCP packet grows by: E-bit/index word plus tag (RFC 3711 §3.4). */
    public int rtcpOverhead() {
        return rtcpTagLength + 4;
    }

    int rtpTagLength() {
        return rtpTagLength;
    }

    int rtcpTagLength() {
        return rtcpTagLength;
    }

    boolean isAead() {
        return this == AEAD_AES_128_GCM;
    }

    /** The profile with this DTLS-SRTP id, or null when Parley does not support it. */
    public static SrtpProfile fromDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return p;
            }
        }
        return null;
    }
}
