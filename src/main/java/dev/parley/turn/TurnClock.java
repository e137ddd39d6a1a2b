package dev.parley.turn;

/**
 * The monotonic clock lifetimes are measured on (RFC 8656 §7 allocations, §9 permissions, §12
 * channels). The relay path reads it once per packet and compares against stored deadlines, so a
 * test can substitute a clock it advances by hand and observe expiry without waiting.
 */
@FunctionalInterface
interface TurnClock {
    TurnClock SYSTEM = System::nanoTime;

    /** Nanoseconds on a monotonic scale; only differences mean anything. */
    long nanoTime();
}
