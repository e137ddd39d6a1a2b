package dev.parley.rtc.srtp;

/**
 * Session keys for one direction, derived once from the master key (key derivation rate 0, as
 * DTLS-SRTP uses: RFC 5764 §4.1.2 leaves it at zero). Auth keys are empty for AEAD profiles.
 */
record SessionKeys(
        byte[] rtpKey, byte[] rtpAuthKey, byte[] rtpSalt,
        byte[] rtcpKey, byte[] rtcpAuthKey, byte[] rtcpSalt) {
}
