package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.srtp.SrtpSession;
import java.util.Arrays;

/**
 * SRTP master keys and salts exported from a DTLS handshake (RFC 5764 §4.2), already split by
 * writer. Which pair protects and which unprotects depends on the local {@link DtlsRole}.
 */
public record SrtpKeyingMaterial(
        SrtpProfile profile, DtlsRole localRole,
        byte[] clientWriteKey, byte[] clientWriteSalt, byte[] serverWriteKey, byte[] serverWriteSalt) {

    /** Bytes to export for a profile: two keys and two salts. */
    static int exportLength(SrtpProfile profile) {
        return 2 * (profile.keyLength() + profile.saltLength());
    }

    /**
     * RFC 5764 §4.2 layout: client_write_key | server_write_key | client_write_salt |
     * server_write_salt.
     */
    static SrtpKeyingMaterial split(SrtpProfile profile, DtlsRole localRole, byte[] exported) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (exported.length != 2 * (k + s)) {
            throw new IllegalArgumentException("exported " + exported.length + " bytes for " + profile);
        }
        return new SrtpKeyingMaterial(profile, localRole,
                Arrays.copyOfRange(exported, 0, k),
                Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, k, 2 * k),
                Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /** Session for packets this side sends, keyed with its own write key. */
    public SrtpSession newSenderSession() {
        return localRole == DtlsRole.CLIENT
                ? SrtpSession.create(profile, clientWriteKey, clientWriteSalt)
                : SrtpSession.create(profile, serverWriteKey, serverWriteSalt);
    }

    /** Session for packets the peer sends, keyed with the peer's write key. */
    public SrtpSession newReceiverSession() {
        return localRole == DtlsRole.CLIENT
                ? SrtpSession.create(profile, serverWriteKey, serverWriteSalt)
                : SrtpSession.create(profile, clientWriteKey, clientWriteSalt);
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", " + localRole + "]"; // never print keys
    }
}
