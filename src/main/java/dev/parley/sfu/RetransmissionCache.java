package dev.parley.sfu;

/**
 * The last {@code capacity} packets of one stream, by sequence number, for answering NACKs
 * (RFC 4585 §6.2.1). Slots are allocated once and reused: storing a packet is a copy.
 */
final class RetransmissionCache {
    static final int MAX_PACKET = 1500;
    private final int mask;
    private final byte[][] packets;
    private final int[] lengths;
    private final int[] sequences;

    RetransmissionCache(int capacity) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        mask = capacity - 1;
        packets = new byte[capacity][];
        lengths = new int[capacity];
        sequences = new int[capacity];
        java.util.Arrays.fill(sequences, -1);
    }

    /** Keeps a copy of {@code buf[off, off+len)} as packet {@code seq}; returns the slot's buffer. */
    byte[] store(int seq, byte[] buf, int off, int len) {
        int slot = seq & mask;
        byte[] target = packets[slot];
        if (target == null) target = packets[slot] = new byte[MAX_PACKET];
        System.arraycopy(buf, off, target, 0, len);
        lengths[slot] = len;
        sequences[slot] = seq;
        return target;
    }

    /** The stored packet's buffer, or null if {@code seq} is no longer (or never was) cached. */
    byte[] packet(int seq) {
        int slot = seq & mask;
        return sequences[slot] == seq ? packets[slot] : null;
    }

    int length(int seq) {
        return lengths[seq & mask];
    }
}
