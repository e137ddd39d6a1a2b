package dev.parley.sfu;

import dev.parley.sfu.bwe.BitrateAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for one subscriber, the most each of its videos may get: the subscriber's
 * {@link ReceiverConstraints} cap each track's resolution; its videos are ranked (on stage, then
 * recent dominant speakers, then the order people joined); the first last-N of them may be
 * forwarded and the rest are paused at the SFU. The Router then shares the subscribe
 * transport's bandwidth estimate among the ranked videos, in this order and up to these
 * ceilings, with {@link dev.parley.sfu.bwe.BitrateAllocator}.
 */
final class VideoAllocator {
    private VideoAllocator() {}

    /** One video's ceiling: the tallest layer it may be forwarded (an index into its producer's streams) or -1. */
    record Choice(Consumer consumer, int layer) {}

    /**
     * @param videos       the subscriber's video consumers, in the order their publishers joined
     * @param speakerOrder peer ids, most recent dominant speaker first
     * @return the videos, highest priority first, each with its ceiling
     */
    static List<Choice> allocate(List<Consumer> videos, ReceiverConstraints constraints, List<String> speakerOrder,
            long nowNanos) {
        long[] keys = new long[videos.size()]; // rank in the high bits, join position in the low ones
        for (int i = 0; i < keys.length; i++) keys[i] = ((long) rank(videos.get(i), constraints, speakerOrder, i) << 32) | i;
        java.util.Arrays.sort(keys);
        List<Choice> choices = new ArrayList<>(keys.length);
        int forwarded = 0;
        for (long key : keys) {
            Consumer consumer = videos.get((int) key);
            int maxHeight = constraints.maxHeightOf(consumer.producer);
            int layer = forwarded >= constraints.lastN() || maxHeight == 0 ? -1 : bestLayer(consumer.producer, maxHeight, nowNanos);
            if (layer >= 0) forwarded++;
            choices.add(new Choice(consumer, layer));
        }
        return choices;
    }

    /**
     * One rung of a video's ladder as the bitrate allocator counts it: a stream (spatial layer)
     * and the highest VP8 temporal layer forwarded in it ({@link Consumer#ALL_TEMPORAL} for all).
     */
    record Step(int stream, int maxTemporal, long bps) {}

    /**
     * The rungs a video can be forwarded at, cheapest first: two per spatial layer (smallest
     * first), the layer without its top temporal layer (about half the frame rate: TID ≤ 1 of
     * three) and the layer at full frame rate. So a shrinking estimate first halves the frame
     * rate and only then lowers the resolution. While a layer's per-TID rates are not known (no
     * temporal layers, or not measured yet) its lower rung is the full layer at the full cost, so
     * the choice is by resolution only; the ladder keeps its shape either way, because the
     * bitrate allocator remembers each consumer's rung by position. Bitrates are as measured on
     * arrival and smoothed, plus 5 % for the RTP/SRTP/UDP headers; 0 for a layer that is not
     * arriving.
     */
    static List<Step> ladder(Producer producer, long nowNanos) {
        List<Step> steps = new ArrayList<>();
        for (int index : layersBySize(producer)) {
            ProducerStream stream = producer.streams[index];
            boolean active = stream.active(nowNanos);
            // A layer that just started has no measured rate yet: 1 bit/s keeps it choosable.
            long full = active ? Math.max(1, stream.smoothedBitrate * 21 / 20) : 0;
            int top = stream.temporalLayers - 1;
            long reduced = active && top >= 1 ? stream.bitrateUpTo(top - 1) : -1;
            steps.add(reduced > 0 ? new Step(index, top - 1, Math.max(1, reduced * 21 / 20)) : new Step(index, Consumer.ALL_TEMPORAL, full));
            steps.add(new Step(index, Consumer.ALL_TEMPORAL, full));
        }
        return steps;
    }

    /**
     * What each ranked video asks of the bandwidth estimate: priority by rank (the first video
     * highest), the bitrate of each rung of its {@link #ladder}, and its ceiling (the full frame
     * rate rung of its ceiling layer). A consumer is named by its SSRC, unique on the
     * subscriber's transport.
     */
    static List<BitrateAllocator.Demand> demands(List<Choice> choices, long nowNanos) {
        List<BitrateAllocator.Demand> demands = new ArrayList<>(choices.size());
        for (int i = 0; i < choices.size(); i++) {
            Choice choice = choices.get(i);
            List<Step> steps = ladder(choice.consumer().producer, nowNanos);
            long[] bps = new long[steps.size()];
            int max = BitrateAllocator.PAUSED;
            for (int l = 0; l < bps.length; l++) {
                bps[l] = steps.get(l).bps();
                if (steps.get(l).stream() == choice.layer() && steps.get(l).maxTemporal() == Consumer.ALL_TEMPORAL) max = l;
            }
            demands.add(new BitrateAllocator.Demand(choice.consumer().ssrc, choices.size() - i, bps, max));
        }
        return demands;
    }

    /** The rung the bitrate allocator chose ({@code rung} counts the ladder cheapest first), or null for paused. */
    static Step stepOf(Producer producer, int rung, long nowNanos) {
        return rung < 0 ? null : ladder(producer, nowNanos).get(rung);
    }

    /** The stream index of the bitrate allocator's rung {@code rung}, or -1. */
    static int streamOf(Producer producer, int rung, long nowNanos) {
        Step step = stepOf(producer, rung, nowNanos);
        return step == null ? -1 : step.stream();
    }

    private static int rank(Consumer c, ReceiverConstraints constraints, List<String> speakerOrder, int joinPosition) {
        int stage = constraints.stagePosition(c.producer);
        if (stage >= 0) return stage;
        int base = constraints.onStage().size();
        int speaker = speakerOrder.indexOf(c.producer.owner.peerId);
        if (speaker >= 0) return base + speaker;
        return base + speakerOrder.size() + joinPosition;
    }

    /**
     * The tallest layer not taller than {@code maxHeight} among those the publisher is sending
     * (all of them before any has arrived); the smallest when none fits. Layers whose size is
     * not known yet rank by their position in the offer (simulcast lists low to high by convention).
     */
    static int bestLayer(Producer producer, int maxHeight, long nowNanos) {
        ProducerStream[] streams = producer.streams;
        boolean anyActive = false;
        for (ProducerStream s : streams) anyActive |= s.active(nowNanos);
        int best = -1;
        int smallest = -1;
        for (ProducerStream s : streams) {
            if (anyActive && !s.active(nowNanos)) continue;
            if (smallest < 0 || smaller(s, streams[smallest])) smallest = s.index;
            boolean fits = maxHeight == Integer.MAX_VALUE || (s.height >= 0 && s.height <= maxHeight);
            if (fits && (best < 0 || smaller(streams[best], s))) best = s.index;
        }
        return best >= 0 ? best : smallest;
    }

    /** The producer's stream indices, smallest layer first (the order the bitrate allocator counts in). */
    static int[] layersBySize(Producer producer) {
        ProducerStream[] streams = producer.streams;
        Integer[] order = new Integer[streams.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> smaller(streams[x], streams[y]) ? -1 : smaller(streams[y], streams[x]) ? 1 : 0);
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }

    private static boolean smaller(ProducerStream a, ProducerStream b) {
        if (a.height >= 0 && b.height >= 0 && a.height != b.height) return a.height < b.height;
        return a.index < b.index;
    }
}
