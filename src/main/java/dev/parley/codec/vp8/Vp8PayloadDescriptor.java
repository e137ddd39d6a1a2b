package dev.parley.codec.vp8;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) as a value, for building packets and tests; the
 * forwarding path uses {@link Vp8PayloadView}. Optional fields are -1 when absent.
 *
 * @param longPictureId write PictureID in the 15-bit form (M=1)
 */
public record Vp8PayloadDescriptor(boolean nonReference, boolean startOfPartition, int partitionIndex,
                                   int pictureId, boolean longPictureId, int tl0PicIdx, int temporalLayerId,
                                   boolean layerSync, int keyIndex) {
    public Vp8PayloadDescriptor {
        if (partitionIndex < 0 || partitionIndex > 7) {
            throw new IllegalArgumentException("partition index out of range");
        }
        if (pictureId < -1 || pictureId > (longPictureId ? 0x7FFF : 0x7F)) {
            throw new IllegalArgumentException("PictureID out of range");
        }
        if (tl0PicIdx < -1 || tl0PicIdx > 255 || temporalLayerId < -1 || temporalLayerId > 3
                || keyIndex < -1 || keyIndex > 31) {
            throw new IllegalArgumentException("field out of range");
        }
    }

    /** Copies the descriptor out of a view. */
    public static Vp8PayloadDescriptor from(Vp8PayloadView v) {
        return new Vp8PayloadDescriptor(v.nonReference(), v.startOfPartition(), v.partitionIndex(), v.pictureId(),
                v.longPictureId(), v.tl0PicIdx(), v.temporalLayerId(), v.layerSync(), v.keyIndex());
    }

    private boolean extended() {
        return pictureId >= 0 || tl0PicIdx >= 0 || temporalLayerId >= 0 || keyIndex >= 0;
    }

    public int length() {
        if (!extended()) {
            return 1;
        }
        int n = 2;
        if (pictureId >= 0) {
            n += longPictureId ? 2 : 1;
        }
        if (tl0PicIdx >= 0) {
            n++;
        }
        if (temporalLayerId >= 0 || keyIndex >= 0) {
            n++;
        }
        return n;
    }

    /** Writes the descriptor at {@code off}; returns its length. */
    public int marshalTo(byte[] out, int off) {
        int n = length();
        if (off < 0 || off > out.length - n) {
            throw new IllegalArgumentException("buffer too small");
        }
        int p = off;
        out[p++] = (byte) ((extended() ? 0x80 : 0) | (nonReference ? 0x20 : 0) | (startOfPartition ? 0x10 : 0)
                | partitionIndex);
        if (!extended()) {
            return n;
        }
        out[p++] = (byte) ((pictureId >= 0 ? 0x80 : 0) | (tl0PicIdx >= 0 ? 0x40 : 0)
                | (temporalLayerId >= 0 ? 0x20 : 0) | (keyIndex >= 0 ? 0x10 : 0));
        if (pictureId >= 0) {
            if (longPictureId) {
                out[p++] = (byte) (0x80 | (pictureId >>> 8));
            }
            out[p++] = (byte) (longPictureId ? pictureId : pictureId & 0x7F);
        }
        if (tl0PicIdx >= 0) {
            out[p++] = (byte) tl0PicIdx;
        }
        if (temporalLayerId >= 0 || keyIndex >= 0) {
            out[p++] = (byte) ((Math.max(temporalLayerId, 0) << 6) | (layerSync ? 0x20 : 0) | Math.max(keyIndex, 0));
        }
        return n;
    }
}
