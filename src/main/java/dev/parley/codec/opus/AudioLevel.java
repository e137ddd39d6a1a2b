package dev.parley.codec.opus;

import dev.parley.codec.rtp.RtpPacketView;

/**
 * The client-to-mixer audio level header extension (RFC 6464 §3): one byte with the voice
 * activity flag V and the level in -dBov (0 loudest, 127 silence). The SFU's dominant speaker
 * detection reads it from every audio packet, so this is allocation-free.
 */
public final class AudioLevel {
    /** Level reported for digital silence. */
    public static final int SILENCE = 127;

    private AudioLevel() {}

    /**
     * The raw extension byte (V bit and level) from extension {@code id} of {@code packet},
     * or -1 when the packet does not carry it.
     *
     * @throws OpusParseException when the element is present but empty
     */
    public static int rawValue(RtpPacketView packet, int id) {
        int p = packet.findExtension(id);
        if (p < 0) {
            return -1;
        }
        if (packet.extensionLength(p) < 1) {
            throw new OpusParseException("audio level extension is empty");
        }
        return packet.buffer()[p] & 0xFF;
    }

    /** Level in -dBov, 0..127, from a raw value. */
    public static int level(int rawValue) {
        return rawValue & 0x7F;
    }

    /** The V flag: the sender's voice activity detector thinks this packet holds speech. */
    public static boolean voiceActivity(int rawValue) {
        return (rawValue & 0x80) != 0;
    }

    /** Encodes a raw value for building packets. */
    public static byte encode(int levelDbov, boolean voice) {
        if (levelDbov < 0 || levelDbov > 127) {
            throw new IllegalArgumentException("level must be 0..127 -dBov");
        }
        return (byte) ((voice ? 0x80 : 0) | levelDbov);
    }
}
