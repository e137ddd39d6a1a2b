package dev.parley.codec.rtcp;

import java.util.Arrays;

/**
 * Transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): RTPFB FMT 15.
 *
 * <p>Holds one status symbol per transport sequence number from {@code baseSequence} on, and one
 * receive delta (in 250 µs ticks) for every packet whose status is received. On the wire the
 * statuses are packed into run-length and status-vector chunks (§3.1.3, §3.1.4); this class
 * chooses the packing when it marshals.
 *
 * @param referenceTime 24-bit reference time in 64 ms units (§3.1), kept as the raw unsigned
 *     field: it wraps every ~12 days of sender clock (libwebrtc reads it as signed), so compare
 *     consecutive feedbacks modulo 2^24 rather than by absolute value
 * @param statuses one of {@link #NOT_RECEIVED}, {@link #SMALL_DELTA}, {@link #LARGE_DELTA} per packet
 * @param deltas receive deltas in 250 µs ticks, one per received packet, in order
 */
public record TransportWideCcFeedback(long senderSsrc, long mediaSsrc, int baseSequence, int referenceTime,
                                      int feedbackPacketCount, int[] statuses, int[] deltas)
        implements RtcpPacket {
    public static final int NOT_RECEIVED = 0;
    /** Received; delta fits one unsigned byte (0..63.75 ms). */
    public static final int SMALL_DELTA = 1;
    /** Received; delta needs two signed bytes (negative, or more than 63.75 ms). */
    public static final int LARGE_DELTA = 2;
    /** One delta tick and one reference time unit, in microseconds. */
    public static final int DELTA_TICK_MICROS = 250;
    public static final int REFERENCE_TIME_MICROS = 64_000;

    public TransportWideCcFeedback {
        baseSequence &= 0xFFFF;
        referenceTime &= 0xFFFFFF;
        feedbackPacketCount &= 0xFF;
        if (statuses.length > 0xFFFF) {
            throw new IllegalArgumentException("at most 65535 packet statuses");
        }
        int received = 0;
        for (int s : statuses) {
            if (s < NOT_RECEIVED || s > LARGE_DELTA) {
                throw new IllegalArgumentException("status symbol must be 0, 1 or 2");
            }
            if (s != NOT_RECEIVED) {
                received++;
            }
        }
        if (received != deltas.length) {
            throw new IllegalArgumentException("one delta per received packet is required");
        }
        for (int i = 0, d = 0; i < statuses.length; i++) {
            if (statuses[i] == SMALL_DELTA && (deltas[d] < 0 || deltas[d] > 255)
                    || statuses[i] == LARGE_DELTA && (deltas[d] < Short.MIN_VALUE || deltas[d] > Short.MAX_VALUE)) {
                throw new IllegalArgumentException("delta does not fit its status symbol");
            }
            if (statuses[i] != NOT_RECEIVED) {
                d++;
            }
        }
        statuses = statuses.clone();
        deltas = deltas.clone();
    }

    @Override
    public int[] statuses() {
        return statuses.clone();
    }

    @Override
    public int[] deltas() {
        return deltas.clone();
    }

    public int packetStatusCount() {
        return statuses.length;
    }

    /**
     * Builds feedback from receive times: {@code arrivalMicros[i]} is when transport sequence
     * number {@code baseSequence + i} arrived (any monotonic microsecond clock), or a negative
     * value if it did not. Deltas are rounded to 250 µs without accumulating the rounding error.
     *
     * @throws IllegalArgumentException if a gap between arrivals exceeds what two signed bytes
     *     can carry (about 8 s); split the feedback there
     */
    public static TransportWideCcFeedback fromArrivals(long senderSsrc, long mediaSsrc, int feedbackPacketCount,
                                                       int baseSequence, long[] arrivalMicros) {
        long first = -1;
        int received = 0;
        for (long t : arrivalMicros) {
            if (t >= 0) {
                if (first < 0) {
                    first = t;
                }
                received++;
            }
        }
        long reference = first < 0 ? 0 : first / REFERENCE_TIME_MICROS;
        long previousTicks = reference * (REFERENCE_TIME_MICROS / DELTA_TICK_MICROS);
        int[] statuses = new int[arrivalMicros.length];
        int[] deltas = new int[received];
        int d = 0;
        for (int i = 0; i < arrivalMicros.length; i++) {
            long t = arrivalMicros[i];
            if (t < 0) {
                continue;
            }
            long ticks = Math.round(t / (double) DELTA_TICK_MICROS);
            long delta = ticks - previousTicks;
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                throw new IllegalArgumentException("receive delta out of range at index " + i);
            }
            statuses[i] = delta >= 0 && delta <= 255 ? SMALL_DELTA : LARGE_DELTA;
            deltas[d++] = (int) delta;
            previousTicks = ticks;
        }
        return new TransportWideCcFeedback(senderSsrc, mediaSsrc, baseSequence, (int) (reference & 0xFFFFFF),
                feedbackPacketCount, statuses, deltas);
    }

    /**
     * Receive time of each packet in microseconds on the sender's reference clock (reference
     * time plus accumulated deltas), or -1 for packets not received.
     */
    public long[] arrivalMicros() {
        long[] out = new long[statuses.length];
        long t = (long) referenceTime * REFERENCE_TIME_MICROS;
        for (int i = 0, d = 0; i < statuses.length; i++) {
            if (statuses[i] == NOT_RECEIVED) {
                out[i] = -1;
            } else {
                t += (long) deltas[d++] * DELTA_TICK_MICROS;
                out[i] = t;
            }
        }
        return out;
    }

    static TransportWideCcFeedback parse(byte[] b, int off, int len) {
        RtcpBytes.require(len >= 20, "transport-cc feedback shorter than 20 bytes");
        int end = off + len;
        int count = RtcpBytes.u16(b, off + 14);
        int[] statuses = new int[count];
        int p = off + 20;
        int n = 0;
        int received = 0;
        while (n < count) {
            RtcpBytes.require(end - p >= 2, "transport-cc packet chunks past the end");
            int chunk = RtcpBytes.u16(b, p);
            p += 2;
            if ((chunk & 0x8000) == 0) { // §3.1.3 run-length chunk
                int symbol = (chunk >>> 13) & 0x03;
                int run = chunk & 0x1FFF;
                RtcpBytes.require(symbol != 3, "reserved status symbol");
                int take = Math.min(run, count - n);
                Arrays.fill(statuses, n, n + take, symbol);
                if (symbol != NOT_RECEIVED) {
                    received += take;
                }
                n += take;
            } else if ((chunk & 0x4000) == 0) { // §3.1.4 vector of fourteen 1-bit symbols
                for (int i = 13; i >= 0 && n < count; i--) {
                    int symbol = (chunk >>> i) & 0x01;
                    statuses[n++] = symbol;
                    received += symbol;
                }
            } else { // §3.1.4 vector of seven 2-bit symbols
                for (int i = 6; i >= 0 && n < count; i--) {
                    int symbol = (chunk >>> (2 * i)) & 0x03;
                    RtcpBytes.require(symbol != 3, "reserved status symbol");
                    statuses[n++] = symbol;
                    if (symbol != NOT_RECEIVED) {
                        received++;
                    }
                }
            }
        }
        int[] deltas = new int[received];
        for (int i = 0, d = 0; i < count; i++) {
            if (statuses[i] == SMALL_DELTA) {
                RtcpBytes.require(end - p >= 1, "transport-cc receive delta past the end");
                deltas[d++] = b[p++] & 0xFF;
            } else if (statuses[i] == LARGE_DELTA) {
                RtcpBytes.require(end - p >= 2, "transport-cc receive delta past the end");
                deltas[d++] = (short) RtcpBytes.u16(b, p);
                p += 2;
            }
        }
        return new TransportWideCcFeedback(RtcpBytes.u32(b, off + 4), RtcpBytes.u32(b, off + 8),
                RtcpBytes.u16(b, off + 12), RtcpBytes.u24(b, off + 16), b[off + 19] & 0xFF, statuses, deltas);
    }

    /** Chunk encoding chosen for marshal; fills {@code chunks} and returns how many were used. */
    private int encodeChunks(int[] chunks) {
        int n = 0;
        int i = 0;
        while (i < statuses.length) {
            int symbol = statuses[i];
            int run = 1;
            while (i + run < statuses.length && statuses[i + run] == symbol && run < 0x1FFF) {
                run++;
            }
            int remaining = statuses.length - i;
            if (run >= 7 || run == remaining) {
                chunks[n++] = (symbol << 13) | run;
                i += run;
                continue;
            }
            int take = Math.min(14, remaining);
            boolean oneBit = true;
            for (int k = 0; k < take; k++) {
                if (statuses[i + k] == LARGE_DELTA) {
                    oneBit = false;
                    break;
                }
            }
            int chunk;
            if (oneBit) {
                chunk = 0x8000;
                for (int k = 0; k < take; k++) {
                    chunk |= statuses[i + k] << (13 - k);
                }
            } else {
                take = Math.min(7, remaining);
                chunk = 0xC000;
                for (int k = 0; k < take; k++) {
                    chunk |= statuses[i + k] << (2 * (6 - k));
                }
            }
            chunks[n++] = chunk;
            i += take;
        }
        return n;
    }

    private int deltaBytes() {
        int n = 0;
        for (int s : statuses) {
            n += s == SMALL_DELTA ? 1 : s == LARGE_DELTA ? 2 : 0;
        }
        return n;
    }

    private int unpaddedLength(int chunkCount) {
        return 20 + 2 * chunkCount + deltaBytes();
    }

    @Override
    public int marshalledLength() {
        int[] chunks = new int[statuses.length];
        return (unpaddedLength(encodeChunks(chunks)) + 3) & ~3;
    }

    @Override
    public int marshalTo(byte[] out, int off) {
        int[] chunks = new int[statuses.length];
        int chunkCount = encodeChunks(chunks);
        int unpadded = unpaddedLength(chunkCount);
        int n = (unpadded + 3) & ~3;
        RtcpBytes.checkSpace(out, off, n);
        // RFC 3550 §6.4.1 padding: P bit set and the last byte counts the padding bytes.
        RtcpBytes.putHeader(out, off, n != unpadded, RtcpPacketType.FMT_TRANSPORT_CC, RtcpPacketType.RTPFB, n);
        RtcpBytes.put32(out, off + 4, senderSsrc);
        RtcpBytes.put32(out, off + 8, mediaSsrc);
        RtcpBytes.put16(out, off + 12, baseSequence);
        RtcpBytes.put16(out, off + 14, statuses.length);
        RtcpBytes.put24(out, off + 16, referenceTime);
        out[off + 19] = (byte) feedbackPacketCount;
        int p = off + 20;
        for (int c = 0; c < chunkCount; c++) {
            RtcpBytes.put16(out, p, chunks[c]);
            p += 2;
        }
        for (int i = 0, d = 0; i < statuses.length; i++) {
            if (statuses[i] == SMALL_DELTA) {
                out[p++] = (byte) deltas[d++];
            } else if (statuses[i] == LARGE_DELTA) {
                RtcpBytes.put16(out, p, deltas[d++]);
                p += 2;
            }
        }
        while (p < off + n - 1) {
            out[p++] = 0;
        }
        if (n != unpadded) {
            out[off + n - 1] = (byte) (n - unpadded);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportWideCcFeedback t && t.senderSsrc == senderSsrc && t.mediaSsrc == mediaSsrc
                && t.baseSequence == baseSequence && t.referenceTime == referenceTime
                && t.feedbackPacketCount == feedbackPacketCount && Arrays.equals(t.statuses, statuses)
                && Arrays.equals(t.deltas, deltas);
    }

    @Override
    public int hashCode() {
        return (baseSequence * 31 + feedbackPacketCount) * 31 + Arrays.hashCode(statuses);
    }

    @Override
    public String toString() {
        return "TransportWideCcFeedback[base=" + baseSequence + ", count=" + statuses.length
                + ", ref=" + referenceTime + ", fbCount=" + feedbackPacketCount + "]";
    }
}
