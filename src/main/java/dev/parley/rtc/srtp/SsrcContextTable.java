package dev.parley.rtc.srtp;

/**
 * SSRC → context map with int keys and linear probing, so a lookup on the packet path does not
 * box the SSRC. Bounded: a session refuses new SSRCs past {@code limit}.
 */
final class SsrcContextTable {
    private int[] keys;
    private SsrcContext[] values;
    private int size;
    private final int limit;

    SsrcContextTable(int limit) {
        this.limit = limit;
        this.keys = new int[16];
        this.values = new SsrcContext[16];
    }

    SsrcContext get(int ssrc) {
        int mask = values.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            SsrcContext c = values[i];
            if (c == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return c;
            }
        }
    }

    /** Adds a context; null if the table is at its limit. */
    SsrcContext create(int ssrc) {
        if (size >= limit) {
            return null;
        }
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        SsrcContext c = new SsrcContext(ssrc);
        insert(keys, values, ssrc, c);
        size++;
        return c;
    }

    /**
     * Drops an SSRC's context, closing the probe gap by shifting later entries of its cluster
     * back (linear-probing deletion), so lookups never need tombstones.
     */
    boolean remove(int ssrc) {
        int mask = values.length - 1;
        int i = mix(ssrc) & mask;
        while (values[i] != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        values[i] = null;
        size--;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            // Move j into the gap at i unless its home lies cyclically in (i, j].
            boolean homeBetween = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!homeBetween) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] newKeys = new int[values.length * 2];
        SsrcContext[] newValues = new SsrcContext[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                insert(newKeys, newValues, keys[i], values[i]);
            }
        }
        keys = newKeys;
        values = newValues;
    }

    private static void insert(int[] keys, SsrcContext[] values, int ssrc, SsrcContext c) {
        int mask = values.length - 1;
        int i = mix(ssrc) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = c;
    }

    private static int mix(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
