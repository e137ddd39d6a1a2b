package dev.parley.codec.rtcp;

/** Big-endian reads and writes, plus the common RTCP header (RFC 3550 §6.4.1). */
final class RtcpBytes {
    static final int HEADER_LENGTH = 4;

    private RtcpBytes() {}

    static int u8(byte[] b, int p) { return b[p] & 0xFF; }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int u24(byte[] b, int p) {
        return ((b[p] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16)
                | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static void put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    static void put24(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 16);
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) v;
    }

    static void put32(byte[] b, int p, long v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    /**
     * Writes the 4-byte common header. {@code totalLength} counts every byte of the packet,
     * including any padding, and must be a multiple of 4.
     */
    static void putHeader(byte[] b, int p, boolean padding, int countOrFormat, int packetType, int totalLength) {
        b[p] = (byte) (0x80 | (padding ? 0x20 : 0) | (countOrFormat & 0x1F));
        b[p + 1] = (byte) packetType;
        put16(b, p + 2, totalLength / 4 - 1);
    }

    static void checkSpace(byte[] out, int off, int needed) {
        if (off < 0 || off > out.length - needed) {
            throw new IllegalArgumentException("output buffer too small");
        }
    }

    /** Strict UTF-8 (RFC 3550 §6.5 text is UTF-8): invalid bytes are a parse error, not U+FFFD. */
    static String utf8(byte[] b, int p, int length) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b, p, length)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new RtcpParseException("text is not valid UTF-8");
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new RtcpParseException(message);
        }
    }
}
