package dev.parley.codec.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Generic NACK (RFC 4585 §6.2.1): each FCI entry names a lost packet (PID) and a bitmask of
 * the 16 packets after it that are lost too (BLP, bit i = PID + i + 1).
 */
public record GenericNack(long senderSsrc, long mediaSsrc, List<Entry> entries) implements RtcpPacket {

    /** One FCI entry: packet id and bitmask of following lost packets. */
    public record Entry(int packetId, int lostBitmask) {
        public Entry {
            packetId &= 0xFFFF;
            lostBitmask &= 0xFFFF;
        }

        /** Calls {@code action} with every sequence number this entry reports lost, in order. */
        public void forEachLost(IntConsumer action) {
            action.accept(packetId);
            for (int i = 0; i < 16; i++) {
                if ((lostBitmask & (1 << i)) != 0) {
                    action.accept((packetId + i + 1) & 0xFFFF);
                }
            }
        }
    }

    public GenericNack {
        entries = List.copyOf(entries);
    }

    /**
     * Packs lost sequence numbers into as few entries as the order given allows: each number
     * within 16 after the current entry's PID joins its bitmask.
     */
    public static GenericNack of(long senderSsrc, long mediaSsrc, int... lostSequenceNumbers) {
        List<Entry> entries = new ArrayList<>();
        int pid = -1;
        int mask = 0;
        for (int seq : lostSequenceNumbers) {
            seq &= 0xFFFF;
            int distance = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
            if (distance >= 1 && distance <= 16) {
                mask |= 1 << (distance - 1);
            } else if (distance != 0) {
                if (pid >= 0) {
                    entries.add(new Entry(pid, mask));
                }
                pid = seq;
                mask = 0;
            }
        }
        if (pid >= 0) {
            entries.add(new Entry(pid, mask));
        }
        return new GenericNack(senderSsrc, mediaSsrc, entries);
    }

    /** Calls {@code action} with every lost sequence number, entry by entry (no allocation). */
    public void forEachLost(IntConsumer action) {
        for (Entry e : entries) {
            e.forEachLost(action);
        }
    }

    /**
     * Calls {@code action} with every sequence number lost in the NACK the iterator is on,
     * reading the wire bytes directly: the NACK-to-RTX path allocates nothing.
     *
     * @throws RtcpParseException if the current packet is not a well-formed generic NACK
     */
    public static void forEachLost(RtcpCompoundIterator it, IntConsumer action) {
        int off = it.packetOffset();
        int len = it.packetLength();
        byte[] b = it.buffer();
        if (it.hasPadding()) {
            len -= b[off + len - 1] & 0xFF;
        }
        RtcpBytes.require(it.packetType() == RtcpPacketType.RTPFB && it.countOrFormat() == RtcpPacketType.FMT_NACK,
                "not a generic NACK");
        RtcpBytes.require(len >= 12 && (len - 12) % 4 == 0, "NACK length is not 12 + 4n");
        for (int p = off + 12; p < off + len; p += 4) {
            int pid = RtcpBytes.u16(b, p);
            int blp = RtcpBytes.u16(b, p + 2);
            action.accept(pid);
            for (int i = 0; i < 16; i++) {
                if ((blp & (1 << i)) != 0) {
                    action.accept((pid + i + 1) & 0xFFFF);
                }
            }
        }
    }

    /** All lost sequence numbers, expanded from PID/BLP. */
    public int[] lostSequenceNumbers() {
        int[] out = new int[17 * entries.size()];
        int[] n = {0};
        forEachLost(seq -> out[n[0]++] = seq);
        return Arrays.copyOf(out, n[0]);
    }

    static GenericNack parse(byte[] b, int off, int len) {
        RtcpBytes.require(len >= 12 && (len - 12) % 4 == 0, "NACK length is not 12 + 4n");
        List<Entry> entries = new ArrayList<>((len - 12) / 4);
        for (int p = off + 12; p < off + len; p += 4) {
            entries.add(new Entry(RtcpBytes.u16(b, p), RtcpBytes.u16(b, p + 2)));
        }
        return new GenericNack(RtcpBytes.u32(b, off + 4), RtcpBytes.u32(b, off + 8), entries);
    }

    @Override
    public int marshalledLength() {
        return 12 + 4 * entries.size();
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int n = marshalledLength();
        RtcpBytes.checkSpace(out, off, n);
        RtcpBytes.putHeader(out, off, false, RtcpPacketType.FMT_NACK, RtcpPacketType.RTPFB, n);
        RtcpBytes.put32(out, off + 4, senderSsrc);
        RtcpBytes.put32(out, off + 8, mediaSsrc);
        int p = off + 12;
        for (Entry e : entries) {
            RtcpBytes.put16(out, p, e.packetId());
            RtcpBytes.put16(out, p + 2, e.lostBitmask());
            p += 4;
        }
        return n;
    }
}
