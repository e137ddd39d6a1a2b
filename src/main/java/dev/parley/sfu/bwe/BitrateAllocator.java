package dev.parley.sfu.bwe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides one subscriber's bandwidth estimate among its video consumers: a spatial layer (or
 * pause) per consumer, in priority order (on stage / active speaker first, then the tile asking
 * for the most). Modelled on Jitsi Videobridge's BitrateController and LiveKit's
 * StreamAllocator:
 *
 * <ol>
 *   <li>every wanted consumer first gets its lowest layer, highest priority first; only those
 *       that do not fit are paused, and nobody gets more while anyone is paused (layers go down
 *       before video is paused);
 *   <li>then, in priority order, each goes up to the highest layer it asked for that fits.
 * </ol>
 *
 * Hysteresis: keeping what a consumer has may use the whole estimate, but anything new (a higher
 * layer, or resuming) must fit within {@code (1 - upgradeMargin)} of it and waits
 * {@code upgradeHoldMicros} after that consumer last went down. With the default 15 % margin an
 * estimate that wobbles by ±5 % can take a layer away once but cannot give it back. For the same
 * hold after a consumer went up, another consumer's raise leaves room for it, so a ramping
 * estimate does not shuffle layers (and keyframes) between tiles.
 *
 * <p>When a consumer gets less than it asked for, the allocator asks for a probe: the Router
 * pads the subscriber's stream up to {@link Probe#targetBps()} so the estimator can see whether
 * the path carries the next layer (the estimate never grows far beyond what is actually sent).
 * A probe asks for at most twice the estimate (larger steps take a chain of probes, 1 s apart);
 * failed probes back off exponentially. One instance per subscriber; not thread-safe.
 */
public final class BitrateAllocator {
    /** Priorities the Router assigns; higher is served first. */
    public static final int PRIORITY_ON_STAGE = 2;
    public static final int PRIORITY_SPEAKER = 1;
    public static final int PRIORITY_NORMAL = 0;
    public static final int PAUSED = -1;
    /** A probe asks for at most this multiple of the current estimate. */
    static final long MAX_PROBE_FACTOR = 2;
    /** After a probe paid off, the next step is probed this much later. */
    static final long CHAIN_DELAY_MICROS = 1_000_000;

    /** Tuning; {@link #DEFAULT} is what the tests exercise. */
    public record Settings(double upgradeMargin, long upgradeHoldMicros, long probeIntervalMicros,
                           long maxProbeIntervalMicros, long maxProbeDurationMicros) {
        public static final Settings DEFAULT = new Settings(0.15, 3_000_000, 4_000_000, 60_000_000, 8_000_000);

        public Settings {
            if (upgradeMargin < 0 || upgradeMargin >= 1) {
                throw new IllegalArgumentException("upgrade margin must be in [0, 1)");
            }
        }
    }

    /**
     * What one consumer could receive: {@code layerBps[i]} is the bitrate of layer i (the Router
     * counts a VP8 spatial layer at half frame rate as a layer of its own, just below the full
     * one: {@code VideoAllocator.ladder}) as
     * the producer currently measures it, 0 for a layer that is not arriving (the publisher
     * dropped it), which is never chosen. {@code maxLayer} is the highest the subscriber wants
     * (tile size, receiver constraints), or {@link #PAUSED} when it wants none (off-screen,
     * beyond last-N); it is lowered to the highest layer that is arriving.
     */
    public record Demand(long consumerId, int priority, long[] layerBps, int maxLayer) {
        public Demand {
            if (layerBps.length == 0) {
                throw new IllegalArgumentException("a consumer has at least one layer");
            }
            for (long bps : layerBps) {
                if (bps < 0) {
                    throw new IllegalArgumentException("layer bitrates must not be negative");
                }
            }
            layerBps = layerBps.clone();
            int max = Math.min(maxLayer, layerBps.length - 1);
            while (max >= 0 && layerBps[max] == 0) {
                max--;
            }
            maxLayer = Math.max(PAUSED, max);
        }

        long bps(int layer) {
            return layer < 0 ? 0 : layerBps[layer];
        }

        boolean arriving(int layer) {
            return layerBps[layer] > 0;
        }

        /** The lowest layer that is arriving, or PAUSED if none up to {@code maxLayer} is. */
        int lowestLayer() {
            for (int layer = 0; layer <= maxLayer; layer++) {
                if (arriving(layer)) {
                    return layer;
                }
            }
            return PAUSED;
        }

        /** The next arriving layer above {@code layer} (up to maxLayer), or PAUSED. */
        int nextLayerAbove(int layer) {
            for (int next = layer + 1; next <= maxLayer; next++) {
                if (next >= 0 && arriving(next)) {
                    return next;
                }
            }
            return PAUSED;
        }
    }

    /** Pad up to {@code targetBps} until {@code untilMicros}, then allocate again. */
    public record Probe(long targetBps, long untilMicros) {}

    /**
     * The result: a layer (or {@link #PAUSED}) per consumer id in priority order, what that
     * costs, what all wanted, and a probe request or null.
     */
    public record Allocation(Map<Long, Integer> layers, long allocatedBps, long desiredBps, Probe probe) {
        public Allocation {
            layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        }

        public int layerOf(long consumerId) {
            return layers.getOrDefault(consumerId, PAUSED);
        }
    }

    private static final class ConsumerState {
        int layer = PAUSED;
        long lastDowngradeMicros = Long.MIN_VALUE;
        long lastUpgradeMicros = Long.MIN_VALUE;
    }

    private static final Comparator<Demand> ORDER = Comparator.comparingInt(Demand::priority).reversed()
            .thenComparing(Comparator.comparingLong((Demand d) -> d.bps(d.maxLayer())).reversed())
            .thenComparingLong(Demand::consumerId);

    private final Settings settings;
    private final Map<Long, ConsumerState> states = new HashMap<>();
    private long probeIntervalMicros;
    private long nextProbeMicros = Long.MIN_VALUE;
    private long lastDowngradeMicros = Long.MIN_VALUE;
    private Probe lastProbe;

    public BitrateAllocator() {
        this(Settings.DEFAULT);
    }

    public BitrateAllocator(Settings settings) {
        this.settings = settings;
        this.probeIntervalMicros = settings.probeIntervalMicros();
    }

    /** Forgets a closed consumer. */
    public void remove(long consumerId) {
        states.remove(consumerId);
    }

    /**
     * Chooses layers for {@code demands} under {@code estimateBps} (the subscriber's estimate
     * minus what its audio needs). Call on every estimate change and demand change; calls with
     * the same inputs return the same layers.
     */
    public Allocation allocate(long estimateBps, List<Demand> demands, long nowMicros) {
        List<Demand> order = new ArrayList<>(demands);
        order.sort(ORDER);
        int n = order.size();
        int[] previous = new int[n];
        int[] chosen = new int[n];
        for (int i = 0; i < n; i++) {
            previous[i] = states.computeIfAbsent(order.get(i).consumerId(), id -> new ConsumerState()).layer;
            chosen[i] = PAUSED;
        }
        double raiseLimit = estimateBps * (1 - settings.upgradeMargin());
        long used = 0;
        boolean anyPaused = false;
        // Step 1: the lowest layer for everyone who wants video, in priority order.
        for (int i = 0; i < n; i++) {
            Demand d = order.get(i);
            int lowest = d.lowestLayer();
            if (lowest < 0) {
                continue;
            }
            if (fits(d, lowest, previous[i], used, estimateBps, raiseLimit, nowMicros)) {
                chosen[i] = lowest;
                used += d.bps(lowest);
            } else {
                anyPaused = true;
            }
        }
        // Step 2: only when nobody is paused, raise each towards what it asked for. A raise leaves
        // room for what lower-priority consumers were raised to in the last hold period, so one
        // consumer's raise does not undo another's right away (no churn while the estimate ramps).
        if (!anyPaused) {
            long[] recentExtra = new long[n + 1];
            for (int i = n - 1; i >= 0; i--) {
                recentExtra[i] = recentExtra[i + 1] + recentlyRaisedExtra(order.get(i), previous[i], chosen[i], nowMicros);
            }
            for (int i = 0; i < n; i++) {
                Demand d = order.get(i);
                int lowest = chosen[i];
                for (int layer = d.maxLayer(); layer > lowest; layer--) {
                    long others = used - d.bps(lowest);
                    long othersForRaise = layer > previous[i] ? others + recentExtra[i + 1] : others;
                    if (d.arriving(layer) && fits(d, layer, previous[i], othersForRaise, estimateBps, raiseLimit, nowMicros)) {
                        chosen[i] = layer;
                        used = others + d.bps(layer);
                        break;
                    }
                }
            }
        }
        Map<Long, Integer> layers = new LinkedHashMap<>();
        long desired = 0;
        boolean upgraded = false;
        boolean downgraded = false;
        int firstShort = -1;
        for (int i = 0; i < n; i++) {
            Demand d = order.get(i);
            ConsumerState state = states.get(d.consumerId());
            if (chosen[i] < previous[i]) {
                state.lastDowngradeMicros = nowMicros;
                lastDowngradeMicros = nowMicros;
                downgraded = true;
            } else if (chosen[i] > previous[i]) {
                upgraded = true;
                state.lastUpgradeMicros = nowMicros;
            }
            state.layer = chosen[i];
            layers.put(d.consumerId(), chosen[i]);
            desired += d.bps(d.maxLayer());
            if (firstShort < 0 && chosen[i] < d.maxLayer()) {
                firstShort = i;
            }
        }
        Probe probe = decideProbe(estimateBps, used, firstShort < 0 ? null : order.get(firstShort),
                firstShort < 0 ? PAUSED : chosen[firstShort], upgraded, downgraded, nowMicros);
        return new Allocation(layers, used, desired, probe);
    }

    /** What a consumer raised within the hold period holds above its lowest layer, else 0. */
    private long recentlyRaisedExtra(Demand d, int previousLayer, int lowestChosen, long nowMicros) {
        ConsumerState state = states.get(d.consumerId());
        if (lowestChosen < 0 || previousLayer <= lowestChosen || previousLayer > d.maxLayer()
                || !d.arriving(previousLayer) || state.lastUpgradeMicros == Long.MIN_VALUE
                || nowMicros - state.lastUpgradeMicros >= settings.upgradeHoldMicros()) {
            return 0;
        }
        return d.bps(previousLayer) - d.bps(lowestChosen);
    }

    /**
     * Whether consumer {@code d} may have {@code layer} on top of {@code others} already given:
     * keeping or lowering may use the whole estimate; raising or resuming must fit the reduced
     * limit and wait out the hold after this consumer's last downgrade.
     */
    private boolean fits(Demand d, int layer, int previousLayer, long others, long estimateBps,
                         double raiseLimit, long nowMicros) {
        long total = others + d.bps(layer);
        if (layer <= previousLayer) {
            return total <= estimateBps;
        }
        ConsumerState state = states.get(d.consumerId());
        boolean held = state.lastDowngradeMicros != Long.MIN_VALUE
                && nowMicros - state.lastDowngradeMicros < settings.upgradeHoldMicros();
        return !held && total <= raiseLimit;
    }

    /**
     * Probe when someone is short of what they asked for, no downgrade happened recently (the
     * path is not congested now), and the backoff allows. Target: enough for the first short
     * consumer's next layer to pass the upgrade margin, but at most {@link #MAX_PROBE_FACTOR}
     * times the estimate (libwebrtc probes at 2x too); a larger step takes a chain of probes.
     * A downgrade ends a running probe as failed.
     */
    private Probe decideProbe(long estimateBps, long allocatedBps, Demand shortest, int shortLayer,
                              boolean upgraded, boolean downgraded, long nowMicros) {
        if (downgraded && lastProbe != null) {
            failed(nowMicros); // the path is congested, whoever caused it
            nextProbeMicros = nowMicros + probeIntervalMicros;
        } else if (upgraded && lastProbe != null) {
            // The last probe paid off: probe the next step once the new layer's traffic settled.
            probeIntervalMicros = settings.probeIntervalMicros();
            nextProbeMicros = nowMicros + CHAIN_DELAY_MICROS;
            lastProbe = null;
        }
        if (shortest == null) {
            return null;
        }
        if (lastProbe != null && nowMicros < lastProbe.untilMicros()) {
            return lastProbe; // still running
        }
        boolean recentlyDown = lastDowngradeMicros != Long.MIN_VALUE
                && nowMicros - lastDowngradeMicros < settings.upgradeHoldMicros();
        if (recentlyDown || nowMicros < nextProbeMicros) {
            return null;
        }
        int next = shortest.nextLayerAbove(shortLayer);
        long step = shortest.bps(next) - shortest.bps(shortLayer);
        long needed = (long) Math.ceil((allocatedBps + step) / (1 - settings.upgradeMargin())) + 1;
        if (estimateBps >= needed) {
            return null; // the estimate suffices; the hold is what waits
        }
        long target = Math.min(needed, MAX_PROBE_FACTOR * Math.max(estimateBps, 1));
        // Without an early result the estimate follows padding at about 8 %/s (AimdRateControl).
        double seconds = Math.log((double) target / Math.max(1, estimateBps)) / Math.log(1.08) + 1;
        long duration = Math.min(settings.maxProbeDurationMicros(), (long) (seconds * 1e6));
        if (lastProbe != null) {
            failed(nowMicros); // it ran out without an upgrade
        }
        lastProbe = new Probe(target, nowMicros + duration);
        nextProbeMicros = lastProbe.untilMicros() + probeIntervalMicros;
        return lastProbe;
    }

    private void failed(long nowMicros) {
        probeIntervalMicros = Math.min(settings.maxProbeIntervalMicros(), 2 * probeIntervalMicros);
        lastProbe = null;
    }
}
