package dev.parley.codec.stun;

/**
 * RFC 8656 §12.4 ChannelData framing: 2-byte channel number (0x4000-0x4FFF), 2-byte length,
 * then the application data, padded to a multiple of 4 over stream transports (§12.5).
 *
 * <p>The static helpers work on plain arrays so relay paths can frame and unframe in place
 * without allocating.
 */
public record ChannelData(int channelNumber, int dataOffset, int dataLength) {
    public static final int HEADER_LENGTH = 4;
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x4FFF;
    /** RFC 5766 §11 allowed up to 0x7FFF; RFC 8656 reserved 0x5000-0x7FFF. Some deployed clients still use them. */
    public static final int RFC5766_MAX_CHANNEL = 0x7FFF;

    /** RFC 8656 §12: only 0x4000 through 0x4FFF are valid channel numbers. */
    public static boolean isValidChannelNumber(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /** Like {@link #isValidChannelNumber(int)}, optionally also accepting the RFC 5766 range up to 0x7FFF. */
    public static boolean isValidChannelNumber(int channel, boolean allowRfc5766Range) {
        return channel >= MIN_CHANNEL && channel <= (allowRfc5766Range ? RFC5766_MAX_CHANNEL : MAX_CHANNEL);
    }

    /** RFC 7983 / RFC 8656 §12: the first byte of a ChannelData message is 0x40..0x4F (0x50..0x7F reserved). */
    public static boolean looksLikeChannelData(int firstByte) {
        return (firstByte & 0xF0) == 0x40;
    }

    /** Like {@link #looksLikeChannelData(int)}, optionally accepting the RFC 5766 first bytes 0x40..0x7F. */
    public static boolean looksLikeChannelData(int firstByte, boolean allowRfc5766Range) {
        return allowRfc5766Range ? (firstByte & 0xC0) == 0x40 : looksLikeChannelData(firstByte);
    }

    /** Frame length on a stream transport (header + data + padding to 4). */
    public static int streamFrameLength(int dataLength) {
        return HEADER_LENGTH + ((dataLength + 3) & ~3);
    }

    /** Writes the 4-byte header into {@code dst} at {@code offset}. */
    public static void writeHeader(byte[] dst, int offset, int channel, int dataLength) {
        dst[offset] = (byte) (channel >> 8);
        dst[offset + 1] = (byte) channel;
        dst[offset + 2] = (byte) (dataLength >> 8);
        dst[offset + 3] = (byte) dataLength;
    }

    /**
     * Parses a ChannelData message occupying {@code length} bytes (a datagram, or one stream frame
     * with its padding). The data is not copied.
     */
    public static ChannelData decode(byte[] data, int offset, int length) throws StunParseException {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) throw new StunParseException("bad bounds");
        if (length < HEADER_LENGTH) throw new StunParseException("ChannelData shorter than its header");
        int channel = StunMessage.readShort(data, offset);
        if (!isValidChannelNumber(channel)) throw new StunParseException("channel number 0x" + Integer.toHexString(channel) + " outside 0x4000-0x4FFF");
        int dataLength = StunMessage.readShort(data, offset + 2);
        if (dataLength > length - HEADER_LENGTH) throw new StunParseException("ChannelData length " + dataLength + " exceeds frame");
        return new ChannelData(channel, offset + HEADER_LENGTH, dataLength);
    }

    /** Builds a ChannelData datagram (no padding, as RFC 8656 §12.5 allows over UDP). */
    public static byte[] encode(int channel, byte[] payload) {
        if (!isValidChannelNumber(channel)) throw new IllegalArgumentException("channel number " + channel);
        if (payload.length > 0xFFFF) throw new IllegalArgumentException("payload too long");
        byte[] frame = new byte[HEADER_LENGTH + payload.length];
        writeHeader(frame, 0, channel, payload.length);
        System.arraycopy(payload, 0, frame, HEADER_LENGTH, payload.length);
        return frame;
    }
}
