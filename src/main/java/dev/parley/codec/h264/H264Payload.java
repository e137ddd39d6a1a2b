package dev.parley.codec.h264;

/**
 * Inspects H.264 RTP payloads (RFC 6184 §5) for what an SFU needs: whether a packet begins a
 * key frame. A key frame is announced by an IDR slice (NAL type 5) or by the SPS (type 7)
 * that browsers send right before it; either may arrive as a single NAL unit (§5.6), inside an
 * aggregation packet (STAP-A/STAP-B, §5.7.1) or as the first fragment of a FU-A/FU-B (§5.8).
 * Allocation-free.
 */
public final class H264Payload {
    /** NAL unit types (ITU-T H.264 Table 7-1) and RTP packetization types (RFC 6184 Table 1). */
    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int STAP_A = 24;
    public static final int STAP_B = 25;
    public static final int MTAP16 = 26;
    public static final int MTAP24 = 27;
    public static final int FU_A = 28;
    public static final int FU_B = 29;

    private H264Payload() {}

    /** The RTP packetization/NAL type of the payload's first byte (RFC 6184 §5.2). */
    public static int packetType(byte[] b, int off, int len) {
        checkBounds(b, off, len);
        if (len < 1) {
            throw new H264ParseException("empty H.264 payload");
        }
        if ((b[off] & 0x80) != 0) {
            throw new H264ParseException("forbidden_zero_bit set");
        }
        return b[off] & 0x1F;
    }

    /**
     * True when the payload carries an IDR slice or SPS, or is the first fragment of one.
     *
     * @throws H264ParseException when the payload is empty, has the forbidden bit set, or an
     *     aggregation/fragmentation header is truncated
     */
    public static boolean isKeyFrame(byte[] b, int off, int len) {
        int type = packetType(b, off, len);
        switch (type) {
            case STAP_A:
            case STAP_B:
                return aggregateContainsKeyFrame(b, off + 1 + (type == STAP_B ? 2 : 0), off + len);
            case FU_A:
            case FU_B: {
                if (len < 2) {
                    throw new H264ParseException("FU header missing");
                }
                int fuHeader = b[off + 1] & 0xFF;
                boolean start = (fuHeader & 0x80) != 0;
                return start && isKeyNal(fuHeader & 0x1F);
            }
            case MTAP16:
            case MTAP24:
            case 0:
            case 30:
            case 31:
                return false; // not used by WebRTC browsers, or reserved/undefined (§5.4)
            default:
                return isKeyNal(type);
        }
    }

    private static boolean isKeyNal(int nalType) {
        return nalType == NAL_IDR || nalType == NAL_SPS;
    }

    // §5.7.1: a sequence of (16-bit size, NAL unit); a zero size or a size past the end is malformed.
    private static boolean aggregateContainsKeyFrame(byte[] b, int p, int end) {
        if (p > end) {
            throw new H264ParseException("STAP-B decoding order number missing");
        }
        boolean key = false;
        boolean any = false;
        while (p < end) {
            if (end - p < 2) {
                throw new H264ParseException("STAP NAL size truncated");
            }
            int size = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
            p += 2;
            if (size == 0 || size > end - p) {
                throw new H264ParseException("STAP NAL size outside the payload");
            }
            key |= isKeyNal(b[p] & 0x1F);
            any = true;
            p += size;
        }
        if (!any) {
            throw new H264ParseException("STAP without NAL units");
        }
        return key;
    }

    private static void checkBounds(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            throw new H264ParseException("bounds outside buffer");
        }
    }
}
