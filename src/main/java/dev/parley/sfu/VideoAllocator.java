package dev.parley.sfu;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses, for one subscriber, which layer of each video it is forwarded (or none): the
 * subscriber's {@link ReceiverConstraints} cap each track's resolution; its videos are ranked
 * (on stage, then recent dominant speakers, then the order people joined); the first last-N of
 * them are forwarded and the rest paused at the SFU; and the ranked videos share the
 * subscriber's available bitrate: first every video gets its lowest layer in priority order
 * (pausing only those for which even that does not fit), then in the same order each climbs
 * towards the layer its tile asks for while the bitrate lasts.
 *
 * <p>The available bitrate is the seam for congestion control: {@code Participant.availableBitrate}
 * is unlimited until a send-side bandwidth estimator for the subscribe transport sets it.
 * Layer costs are the bitrates measured on each layer's arrival.
 */
final class VideoAllocator {
    private VideoAllocator() {}

    /** One video's allocation: the layer to forward (an index into its producer's streams) or -1. */
    record Choice(Consumer consumer, int layer) {}

    /**
     * @param videos       the subscriber's video consumers, in the order their publishers joined
     * @param speakerOrder peer ids, most recent dominant speaker first
     */
    static List<Choice> allocate(List<Consumer> videos, ReceiverConstraints constraints, List<String> speakerOrder,
            long availableBitrate, long nowNanos) {
        long[] keys = new long[videos.size()]; // rank in the high bits, join position in the low ones
        for (int i = 0; i < keys.length; i++) keys[i] = ((long) rank(videos.get(i), constraints, speakerOrder, i) << 32) | i;
        java.util.Arrays.sort(keys);
        List<Consumer> ranked = new ArrayList<>(keys.length);
        for (long key : keys) ranked.add(videos.get((int) key));
        // Pass 1, in priority order: the videos within last-N and asked for, each at the lowest
        // layer the budget allows (layers go down for everyone before anyone's video is paused).
        int[] layers = new int[ranked.size()];
        int[] wanted = new int[ranked.size()];
        long budget = availableBitrate;
        int forwarded = 0;
        for (int i = 0; i < layers.length; i++) {
            Producer producer = ranked.get(i).producer;
            int maxHeight = constraints.maxHeightOf(producer);
            wanted[i] = forwarded >= constraints.lastN() || maxHeight == 0 ? -1 : bestLayer(producer, maxHeight, nowNanos);
            layers[i] = wanted[i] < 0 ? -1 : bestLayer(producer, 0, nowNanos); // 0 fits nothing: the smallest
            if (layers[i] >= 0 && budget != Long.MAX_VALUE) {
                long cost = producer.streams[layers[i]].bitrate;
                if (cost > budget) {
                    layers[i] = -1;
                } else {
                    budget -= cost;
                }
            }
            if (layers[i] >= 0) forwarded++;
        }
        // Pass 2, in priority order: each video climbs towards the layer its tile wants while the
        // budget lasts.
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 0) continue;
            Producer producer = ranked.get(i).producer;
            if (budget == Long.MAX_VALUE) {
                layers[i] = wanted[i];
                continue;
            }
            int layer = wanted[i];
            long current = producer.streams[layers[i]].bitrate;
            while (layer != layers[i] && producer.streams[layer].bitrate - current > budget) layer = lowerLayer(producer, layer, nowNanos);
            if (layer < 0) continue;
            budget -= producer.streams[layer].bitrate - current;
            layers[i] = layer;
        }
        List<Choice> choices = new ArrayList<>(ranked.size());
        for (int i = 0; i < layers.length; i++) choices.add(new Choice(ranked.get(i), layers[i]));
        return choices;
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

    /** The next smaller active layer than {@code layer}, or -1. */
    private static int lowerLayer(Producer producer, int layer, long nowNanos) {
        ProducerStream current = producer.streams[layer];
        int best = -1;
        for (ProducerStream s : producer.streams) {
            if (s == current || !s.active(nowNanos) || !smaller(s, current)) continue;
            if (best < 0 || smaller(producer.streams[best], s)) best = s.index;
        }
        return best;
    }

    private static boolean smaller(ProducerStream a, ProducerStream b) {
        if (a.height >= 0 && b.height >= 0 && a.height != b.height) return a.height < b.height;
        return a.index < b.index;
    }
}
