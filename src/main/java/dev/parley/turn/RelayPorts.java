package dev.parley.turn;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out candidate relay ports from the configured range, round robin from a random start. */
final class RelayPorts {
    private final int min;
    private final int size;
    private final AtomicInteger cursor;

    RelayPorts(int min, int max) {
        this.min = min;
        this.size = max - min + 1;
        this.cursor = new AtomicInteger(ThreadLocalRandom.current().nextInt(size));
    }

    /** Next candidate; even when asked (RFC 8656 §7.2 EVEN-PORT). Binding may still fail, then ask again. */
    int next(boolean even) {
        int port = min + Math.floorMod(cursor.getAndIncrement(), size);
        if (even && (port & 1) == 1) port = port + 1 <= min + size - 1 ? port + 1 : port - 1;
        return port;
    }

    /** How many candidates to try before answering 508 Insufficient Capacity. */
    int attempts() {
        return Math.min(size, 32);
    }
}
