package dev.parley.sfu.bwe;

/**
 * Groups packets into send bursts and yields the delay variation between consecutive groups
 * (draft-ietf-rmcat-gcc-02 §5.1 arrival-time model and §5.2 pre-filtering; libwebrtc's
 * InterArrivalDelta). A group is the packets sent within {@link #GROUP_LENGTH_MICROS} of its
 * first; a packet that arrives in a burst right after the group (its propagation delta is
 * negative) joins it, since the burst says nothing about queueing. Times in microseconds.
 */
final class InterArrival {
    static final long GROUP_LENGTH_MICROS = 5_000;
    private static final long BURST_DELTA_MICROS = 5_000;
    private static final long MAX_BURST_MICROS = 100_000;
    private static final long ARRIVAL_OFFSET_RESET_MICROS = 3_000_000;
    private static final int REORDERED_RESET = 3;

    private final Group current = new Group();
    private final Group previous = new Group();
    private int consecutiveReordered;

    /** Output of {@link #add}: group deltas, valid after it returned true. */
    long sendDeltaMicros;
    long arrivalDeltaMicros;

    /**
     * Adds one acknowledged packet, in arrival order; true when a group completed and the deltas
     * to the group before it are ready.
     */
    boolean add(long sendMicros, long arrivalMicros, long localMicros) {
        boolean ready = false;
        if (current.empty) {
            current.start(sendMicros, arrivalMicros);
        } else if (sendMicros < current.firstSend) {
            return false; // reordered: belongs to a group already passed
        } else if (startsNewGroup(sendMicros, arrivalMicros)) {
            if (!previous.empty) {
                sendDeltaMicros = current.lastSend - previous.lastSend;
                arrivalDeltaMicros = current.lastArrival - previous.lastArrival;
                long localDelta = current.lastLocal - previous.lastLocal;
                if (arrivalDeltaMicros - localDelta >= ARRIVAL_OFFSET_RESET_MICROS) {
                    reset(); // the remote clock jumped
                    current.start(sendMicros, arrivalMicros);
                    current.lastLocal = localMicros;
                    return false;
                }
                if (arrivalDeltaMicros < 0) {
                    if (++consecutiveReordered >= REORDERED_RESET) {
                        reset();
                    }
                } else {
                    consecutiveReordered = 0;
                    ready = true;
                }
            }
            previous.copy(current);
            current.start(sendMicros, arrivalMicros);
        } else {
            current.lastSend = Math.max(current.lastSend, sendMicros);
        }
        current.lastArrival = arrivalMicros;
        current.lastLocal = localMicros;
        return ready;
    }

    private boolean startsNewGroup(long sendMicros, long arrivalMicros) {
        if (belongsToBurst(sendMicros, arrivalMicros)) {
            return false;
        }
        return sendMicros - current.firstSend > GROUP_LENGTH_MICROS;
    }

    private boolean belongsToBurst(long sendMicros, long arrivalMicros) {
        long sendDelta = sendMicros - current.lastSend;
        if (sendDelta == 0) {
            return true;
        }
        long arrivalDelta = arrivalMicros - current.lastArrival;
        return arrivalDelta - sendDelta < 0 && arrivalDelta <= BURST_DELTA_MICROS
                && arrivalMicros - current.firstArrival < MAX_BURST_MICROS;
    }

    void reset() {
        current.empty = true;
        previous.empty = true;
        consecutiveReordered = 0;
    }

    private static final class Group {
        boolean empty = true;
        long firstSend;
        long lastSend;
        long firstArrival;
        long lastArrival;
        long lastLocal;

        void start(long send, long arrival) {
            empty = false;
            firstSend = send;
            lastSend = send;
            firstArrival = arrival;
            lastArrival = arrival;
        }

        void copy(Group g) {
            empty = g.empty;
            firstSend = g.firstSend;
            lastSend = g.lastSend;
            firstArrival = g.firstArrival;
            lastArrival = g.lastArrival;
            lastLocal = g.lastLocal;
        }
    }
}
