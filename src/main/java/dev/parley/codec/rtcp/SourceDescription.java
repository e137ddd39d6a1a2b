package dev.parley.codec.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** SDES: source description (RFC 3550 §6.5), e.g. the CNAME that ties audio and video together. */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {
    /** SDES item type CNAME (RFC 3550 §6.5.1). */
    public static final int CNAME = 1;

    public SourceDescription {
        chunks = List.copyOf(chunks);
        if (chunks.size() > 31) {
            throw new IllegalArgumentException("at most 31 chunks");
        }
    }

    /** One SSRC's items. */
    public record Chunk(long ssrc, List<Item> items) {
        public Chunk {
            items = List.copyOf(items);
        }

        int marshalledLength() {
            int n = 4 + 1; // SSRC + terminating null item
            for (Item i : items) {
                n += 2 + i.encoded().length;
            }
            return (n + 3) & ~3;
        }
    }

    /** An SDES item: type 1..8 (§6.5.1–§6.5.8) and up to 255 bytes of UTF-8 text. */
    public record Item(int type, String text) {
        public Item {
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("SDES item type must be 1..255");
            }
            if (text.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("SDES item longer than 255 bytes");
            }
        }

        byte[] encoded() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A single-chunk SDES carrying only a CNAME, as every compound packet needs (§6.1). */
    public static SourceDescription cname(long ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    static SourceDescription parse(byte[] b, int off, int len) {
        int count = b[off] & 0x1F;
        int end = off + len;
        int p = off + RtcpBytes.HEADER_LENGTH;
        List<Chunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            RtcpBytes.require(end - p >= 4, "SDES chunk truncated");
            long ssrc = RtcpBytes.u32(b, p);
            p += 4;
            List<Item> items = new ArrayList<>();
            while (true) {
                RtcpBytes.require(p < end, "SDES chunk without terminating null item");
                int type = b[p] & 0xFF;
                if (type == 0) {
                    // The null item ends the chunk; then skip to the next 32-bit boundary (§6.5).
                    p = off + ((p - off + 4) & ~3);
                    break;
                }
                RtcpBytes.require(end - p >= 2, "SDES item header truncated");
                int length = b[p + 1] & 0xFF;
                RtcpBytes.require(end - p - 2 >= length, "SDES item past the end");
                items.add(new Item(type, RtcpBytes.utf8(b, p + 2, length)));
                p += 2 + length;
            }
            RtcpBytes.require(p <= end, "SDES chunk padding past the end");
            chunks.add(new Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    @Override
    public int marshalledLength() {
        int n = RtcpBytes.HEADER_LENGTH;
        for (Chunk c : chunks) {
            n += c.marshalledLength();
        }
        return n;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, chunks.size(), RtcpPacketType.SDES, n);
        int p = off + RtcpBytes.HEADER_LENGTH;
        for (Chunk c : chunks) {
            int chunkEnd = p + c.marshalledLength();
            RtcpBytes.put32(out, p, c.ssrc());
            p += 4;
            for (Item i : c.items()) {
                byte[] text = i.encoded();
                out[p] = (byte) i.type();
                out[p + 1] = (byte) text.length;
                System.arraycopy(text, 0, out, p + 2, text.length);
                p += 2 + text.length;
            }
            while (p < chunkEnd) {
                out[p++] = 0;
            }
        }
        return n;
    }
}
