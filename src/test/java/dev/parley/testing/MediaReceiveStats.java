package dev.parley.testing;

import java.util.Arrays;

/**
 * What a synthetic subscriber counts about forwarded media: packets and losses per SSRC (from
 * the clear RTP header, RFC 3550 §6.4.1 extended sequence numbers), SRTP verification, and the
 * one-way latency publisher → SFU → subscriber read from the send timestamp in the payload
 * (same host, same {@link System#nanoTime()} clock).
 *
 * <p>Written by one receive thread, read by others: counters are volatile, single-writer.
 * {@code verifyEvery} > 1 decrypts only every n-th packet (a lighter load client); losses are
 * still counted on every packet, since RTP headers are not encrypted.
 */
public final class MediaReceiveStats {
    /** Marks our payloads: 4 bytes after the send timestamp. */
    static final int MAGIC = 0x50524C59; // "PRLY"
    /** Payload offset of the send timestamp (after a one-byte VP8 descriptor or Opus TOC). */
    static final int TIMESTAMP_OFFSET = 11; // after the codec's first byte and a 10-byte VP8 key frame header

    private final int verifyEvery;
    private volatile long packets;
    private volatile long bytes;
    private volatile long verified;
    private volatile long srtpFailures;
    private volatile long corrupt;
    private volatile long unknownSsrc;
    private long sinceVerify;

    private long[] expectedSsrcs = new long[0];
    private final long[] ssrcs = new long[64];
    private final long[] highest = new long[64];
    private final long[] first = new long[64];
    private final long[] received = new long[64];
    private volatile int streams;
    private volatile boolean rebase;

    private volatile long[] latencies = new long[100_000];
    private volatile int latencyCount;

    MediaReceiveStats(int verifyEvery) {
        this.verifyEvery = Math.max(1, verifyEvery);
    }

    /** SSRCs the subscribe offer announced; packets with others are counted as unknown. */
    synchronized void expect(long[] announced) {
        expectedSsrcs = announced.clone();
    }

    void onPacket(SyntheticConnection connection, byte[] buf, int len, long arrivalNanos) {
        packets++;
        bytes += len;
        long ssrc = readU32(buf, 8);
        long[] expected = expectedSsrcs;
        boolean known = false;
        for (long e : expected) known |= e == ssrc;
        if (!known) {
            unknownSsrc++;
            return;
        }
        countSequence(ssrc, ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF));
        if (++sinceVerify < verifyEvery) return;
        sinceVerify = 0;
        int clear = connection.unprotectRtp(buf, len);
        if (clear < 0) {
            srtpFailures++;
            return;
        }
        verified++;
        int header = 12 + 4 * (buf[0] & 0x0F);
        if ((buf[0] & 0x10) != 0 && header + 4 <= clear) header += 4 + 4 * (((buf[header + 2] & 0xFF) << 8) | (buf[header + 3] & 0xFF));
        int at = header + TIMESTAMP_OFFSET;
        if (at + 12 > clear || readU32(buf, at + 8) != (MAGIC & 0xFFFFFFFFL)) {
            corrupt++;
            return;
        }
        long sent = readLong(buf, at);
        long[] samples = latencies;
        int n = latencyCount;
        if (n < samples.length) {
            samples[n] = arrivalNanos - sent;
            latencyCount = n + 1;
        }
    }

    private void countSequence(long ssrc, int seq) {
        if (rebase) {
            // a new measuring window: every stream restarts at its next packet
            for (int j = 0; j < streams; j++) first[j] = -1;
            rebase = false;
        }
        int n = streams;
        int i = 0;
        while (i < n && ssrcs[i] != ssrc) i++;
        if (i == n) {
            if (n == ssrcs.length) return;
            ssrcs[i] = ssrc;
            first[i] = -1;
            streams = n + 1;
        }
        if (first[i] < 0) {
            first[i] = seq;
            highest[i] = seq;
            received[i] = 0;
        }
        // RFC 3550 Appendix A.1: extend the 16-bit sequence number by the nearest cycle.
        long h = highest[i];
        long candidate = (h & ~0xFFFFL) | seq;
        if (candidate < h - 0x8000) candidate += 0x10000;
        else if (candidate > h + 0x8000) candidate -= 0x10000;
        if (candidate > h) highest[i] = candidate;
        received[i]++;
    }

    /** Starts a new measuring window: counters, losses and latency samples from zero. */
    public synchronized void reset(int latencyCapacity) {
        latencies = new long[latencyCapacity];
        latencyCount = 0;
        packets = 0;
        bytes = 0;
        verified = 0;
        srtpFailures = 0;
        corrupt = 0;
        unknownSsrc = 0;
        rebase = true;
    }

    /** RTP packets received (any SSRC). */
    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Packets that passed SRTP authentication and decryption. */
    public long verified() {
        return verified;
    }

    public long srtpFailures() {
        return srtpFailures;
    }

    /** Decrypted packets whose payload is not ours (wrong key stream or offsets). */
    public long corrupt() {
        return corrupt;
    }

    /** Packets with an SSRC the subscribe offer did not announce. */
    public long unknownSsrc() {
        return unknownSsrc;
    }

    /** SSRCs media arrived on. */
    public long[] receivedSsrcs() {
        return Arrays.copyOf(ssrcs, streams);
    }

    /** Packets received on one SSRC (0 if none arrived). */
    public long packets(long ssrc) {
        for (int i = 0; i < streams; i++) {
            if (ssrcs[i] == ssrc) return received[i];
        }
        return 0;
    }

    /** Packets missing from the sequence ranges seen, summed over SSRCs (never negative). */
    public long lost() {
        long lost = 0;
        for (int i = 0; i < streams; i++) {
            if (first[i] < 0) continue;
            lost += Math.max(0, highest[i] - first[i] + 1 - received[i]);
        }
        return lost;
    }

    /** Packets expected from the sequence ranges seen. */
    public long expected() {
        long expected = 0;
        for (int i = 0; i < streams; i++) {
            if (first[i] >= 0) expected += highest[i] - first[i] + 1;
        }
        return expected;
    }

    /** One-way latency samples in nanoseconds, unsorted copy. */
    public long[] latencies() {
        return Arrays.copyOf(latencies, latencyCount);
    }

    private static long readU32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static long readLong(byte[] b, int at) {
        return (readU32(b, at) << 32) | readU32(b, at + 4);
    }
}
