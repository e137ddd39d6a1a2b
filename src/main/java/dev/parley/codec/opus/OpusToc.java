package dev.parley.codec.opus;

/**
 * The Opus table-of-contents byte (RFC 6716 §3.1): configuration (mode, bandwidth, frame
 * duration), stereo flag and frame count code.
 */
public record OpusToc(int config, boolean stereo, int frameCountCode) {
    /** Coding mode by configuration number (RFC 6716 Table 2). */
    public enum Mode { SILK, HYBRID, CELT }

    /** Audio bandwidth (RFC 6716 Table 1). */
    public enum Bandwidth { NARROWBAND, MEDIUMBAND, WIDEBAND, SUPERWIDEBAND, FULLBAND }

    public OpusToc {
        if (config < 0 || config > 31 || frameCountCode < 0 || frameCountCode > 3) {
            throw new IllegalArgumentException("TOC field out of range");
        }
    }

    public static OpusToc of(byte toc) {
        int t = toc & 0xFF;
        return new OpusToc(t >>> 3, (t & 0x04) != 0, t & 0x03);
    }

    public byte toByte() {
        return (byte) ((config << 3) | (stereo ? 0x04 : 0) | frameCountCode);
    }

    public Mode mode() {
        return config < 12 ? Mode.SILK : config < 16 ? Mode.HYBRID : Mode.CELT;
    }

    public Bandwidth bandwidth() {
        if (config < 12) {
            return config < 4 ? Bandwidth.NARROWBAND : config < 8 ? Bandwidth.MEDIUMBAND : Bandwidth.WIDEBAND;
        }
        if (config < 16) {
            return config < 14 ? Bandwidth.SUPERWIDEBAND : Bandwidth.FULLBAND;
        }
        return switch ((config - 16) / 4) {
            case 0 -> Bandwidth.NARROWBAND;
            case 1 -> Bandwidth.WIDEBAND;
            case 2 -> Bandwidth.SUPERWIDEBAND;
            default -> Bandwidth.FULLBAND;
        };
    }

    /** Duration of one frame in microseconds (RFC 6716 Table 2). */
    public int frameDurationMicros() {
        if (config < 12) {
            return new int[] {10_000, 20_000, 40_000, 60_000}[config % 4];
        }
        if (config < 16) {
            return config % 2 == 0 ? 10_000 : 20_000;
        }
        return new int[] {2_500, 5_000, 10_000, 20_000}[config % 4];
    }
}
