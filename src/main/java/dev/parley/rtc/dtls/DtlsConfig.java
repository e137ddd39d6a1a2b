package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;

/**
 * What every endpoint of a process shares: its certificate, the SRTP profiles it offers or
 * accepts in preference order, how long a handshake may take, and the datagram size to send.
 */
public record DtlsConfig(DtlsCertificate certificate, List<SrtpProfile> srtpProfiles,
        Duration handshakeTimeout, int mtu) {

    /** GCM first (cheaper per packet and what current browsers prefer), then AES-CM _80. */
    public static final List<SrtpProfile> DEFAULT_PROFILES =
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);

    public DtlsConfig {
        srtpProfiles = List.copyOf(srtpProfiles);
        if (srtpProfiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile");
        }
        if (mtu < 256) {
            throw new IllegalArgumentException("mtu too small: " + mtu);
        }
    }

    /** Defaults: {@link #DEFAULT_PROFILES}, 10 s handshake timeout, 1200-byte datagrams. */
    public static DtlsConfig defaults(DtlsCertificate certificate) {
        return new DtlsConfig(certificate, DEFAULT_PROFILES, Duration.ofSeconds(10), 1200);
    }

    int[] profileIds() {
        return srtpProfiles.stream().mapToInt(SrtpProfile::dtlsId).toArray();
    }
}
