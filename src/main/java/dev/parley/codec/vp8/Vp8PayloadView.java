package dev.parley.codec.vp8;

/**
 * Reusable, allocation-free view of a VP8 RTP payload: the payload descriptor (RFC 7741 §4.2)
 * and, on the first packet of a frame, the start of the VP8 payload header (RFC 7741 §4.3,
 * RFC 6386 §9.1).
 *
 * <p>Simulcast switching rewrites PictureID, TL0PICIDX and KEYIDX so the receiver sees one
 * continuous stream; the setters write in place and keep the field widths (a 7-bit PictureID
 * stays 7-bit). Not thread-safe; one view per event loop.
 */
public final class Vp8PayloadView {
    private byte[] buf;
    private int off;
    private int len;
    private int pictureIdOffset;
    private int tl0PicIdxOffset;
    private int tidKeyIdxOffset;
    private int descriptorLength;

    /** Wraps the RTP payload ({@code len} bytes at {@code off}) or throws if the descriptor is bad. */
    public Vp8PayloadView wrap(byte[] buffer, int offset, int length) {
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new Vp8ParseException("bounds outside buffer");
        }
        if (length < 1) {
            throw new Vp8ParseException("empty VP8 payload");
        }
        int p = offset;
        int end = offset + length;
        int b0 = buffer[p++] & 0xFF;
        int picture = -1;
        int tl0 = -1;
        int tidKey = -1;
        if ((b0 & 0x80) != 0) { // X: extension byte follows
            if (p >= end) {
                throw new Vp8ParseException("X set but no extension byte");
            }
            int x = buffer[p++] & 0xFF;
            if ((x & 0x80) != 0) { // I: PictureID, 7 or 15 bits by the M bit
                if (p >= end) {
                    throw new Vp8ParseException("PictureID missing");
                }
                picture = p;
                p += (buffer[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                tl0 = p++;
            }
            if ((x & 0x30) != 0) { // T or K: one shared TID|Y|KEYIDX byte
                tidKey = p++;
            }
            if (p > end) {
                throw new Vp8ParseException("descriptor past the end");
            }
        }
        if (p >= end) {
            throw new Vp8ParseException("no VP8 payload after the descriptor");
        }
        this.buf = buffer;
        this.off = offset;
        this.len = length;
        this.pictureIdOffset = picture;
        this.tl0PicIdxOffset = tl0;
        this.tidKeyIdxOffset = tidKey;
        this.descriptorLength = p - offset;
        return this;
    }

    /** N: the frame can be discarded without affecting others. */
    public boolean nonReference() { return (buf[off] & 0x20) != 0; }
    /** S: this packet starts a VP8 partition. */
    public boolean startOfPartition() { return (buf[off] & 0x10) != 0; }
    public int partitionIndex() { return buf[off] & 0x07; }
    public int descriptorLength() { return descriptorLength; }
    public int payloadOffset() { return off + descriptorLength; }
    public int payloadLength() { return len - descriptorLength; }

    public boolean hasPictureId() { return pictureIdOffset >= 0; }
    /** True for the 15-bit form (M bit set). */
    public boolean longPictureId() { return pictureIdOffset >= 0 && (buf[pictureIdOffset] & 0x80) != 0; }

    /** PictureID (7 or 15 bits), or -1 when absent. */
    public int pictureId() {
        if (pictureIdOffset < 0) {
            return -1;
        }
        if (longPictureId()) {
            return ((buf[pictureIdOffset] & 0x7F) << 8) | (buf[pictureIdOffset + 1] & 0xFF);
        }
        return buf[pictureIdOffset] & 0x7F;
    }

    /** Overwrites PictureID modulo its width; false when the descriptor has none. */
    public boolean setPictureId(int pictureId) {
        if (pictureIdOffset < 0) {
            return false;
        }
        if (longPictureId()) {
            buf[pictureIdOffset] = (byte) (0x80 | ((pictureId >>> 8) & 0x7F));
            buf[pictureIdOffset + 1] = (byte) pictureId;
        } else {
            buf[pictureIdOffset] = (byte) (pictureId & 0x7F);
        }
        return true;
    }

    /** TL0PICIDX, or -1 when absent. */
    public int tl0PicIdx() {
        return tl0PicIdxOffset < 0 ? -1 : buf[tl0PicIdxOffset] & 0xFF;
    }

    public boolean setTl0PicIdx(int value) {
        if (tl0PicIdxOffset < 0) {
            return false;
        }
        buf[tl0PicIdxOffset] = (byte) value;
        return true;
    }

    private boolean hasTid() {
        return tidKeyIdxOffset >= 0 && (buf[off + 1] & 0x20) != 0;
    }

    private boolean hasKeyIdx() {
        return tidKeyIdxOffset >= 0 && (buf[off + 1] & 0x10) != 0;
    }

    /** TID, the temporal layer (0..3), or -1 when the T bit is clear. */
    public int temporalLayerId() {
        return hasTid() ? (buf[tidKeyIdxOffset] & 0xFF) >>> 6 : -1;
    }

    /** Y: layer sync, meaningful only with TID. */
    public boolean layerSync() {
        return hasTid() && (buf[tidKeyIdxOffset] & 0x20) != 0;
    }

    /** KEYIDX (0..31), or -1 when the K bit is clear. */
    public int keyIndex() {
        return hasKeyIdx() ? buf[tidKeyIdxOffset] & 0x1F : -1;
    }

    public boolean setTemporalLayerId(int tid, boolean layerSync) {
        if (!hasTid()) {
            return false;
        }
        buf[tidKeyIdxOffset] = (byte) (((tid & 0x03) << 6) | (layerSync ? 0x20 : 0) | (buf[tidKeyIdxOffset] & 0x1F));
        return true;
    }

    public boolean setKeyIndex(int keyIndex) {
        if (!hasKeyIdx()) {
            return false;
        }
        buf[tidKeyIdxOffset] = (byte) ((buf[tidKeyIdxOffset] & 0xE0) | (keyIndex & 0x1F));
        return true;
    }

    /**
     * True on the first packet of a key frame: S=1, partition 0, the payload header's P bit
     * clear (RFC 7741 §4.3), and the key frame start code 9d 01 2a (RFC 6386 §9.1) present.
     */
    public boolean isKeyFrame() {
        if (!startOfPartition() || partitionIndex() != 0 || payloadLength() < 10) {
            return false;
        }
        int p = payloadOffset();
        return (buf[p] & 0x01) == 0 && (buf[p + 3] & 0xFF) == 0x9D && (buf[p + 4] & 0xFF) == 0x01
                && (buf[p + 5] & 0xFF) == 0x2A;
    }

    /** Key frame width in pixels (RFC 6386 §9.1, 14 bits), or -1 when not a key frame start. */
    public int keyFrameWidth() {
        if (!isKeyFrame()) {
            return -1;
        }
        int p = payloadOffset() + 6;
        return ((buf[p + 1] & 0x3F) << 8) | (buf[p] & 0xFF);
    }

    /** Key frame height in pixels, or -1 when not a key frame start. */
    public int keyFrameHeight() {
        if (!isKeyFrame()) {
            return -1;
        }
        int p = payloadOffset() + 8;
        return ((buf[p + 1] & 0x3F) << 8) | (buf[p] & 0xFF);
    }
}
