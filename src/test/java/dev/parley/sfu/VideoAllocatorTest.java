package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.parley.sfu.bwe.BitrateAllocator;
import org.junit.jupiter.api.Test;

/** Which layer of which video a subscriber gets: tile sizes, stage, speakers, last-N, bitrate. */
class VideoAllocatorTest {
    private static final long NOW = 10_000_000_000L;
    private final Participant subscriber = new Participant("me", null);

    /** A simulcast video whose q/h/f layers (120/240/480 px, 100k/300k/1M bit/s) are all arriving. */
    private Consumer video(String peerId) {
        SfuSdp.PublishedTrack track = new SfuSdp.PublishedTrack("1", MediaKind.VIDEO, new CodecChoice("VP8", 96, 97, null),
                0, 0, 1, 0, List.of("q", "h", "f"), 2, 3, 0);
        Producer producer = new Producer(peerId + "-1", new Participant(peerId, null), track);
        int[] heights = {120, 240, 480};
        long[] rates = {100_000, 300_000, 1_000_000};
        for (int i = 0; i < 3; i++) {
            producer.streams[i].height = heights[i];
            producer.streams[i].bitrate = rates[i];
            producer.streams[i].smoothedBitrate = rates[i];
            producer.streams[i].lastPacketNanos = NOW;
        }
        return new Consumer(producer, subscriber, "m" + peerId, CodecChoice.subscriberSide(MediaKind.VIDEO, "VP8", null), 1, 2);
    }

    private static Map<String, String> layers(List<VideoAllocator.Choice> choices) {
        Map<String, String> out = new LinkedHashMap<>();
        for (VideoAllocator.Choice c : choices) {
            out.put(c.consumer().producer.owner.peerId, c.layer() < 0 ? "paused" : c.consumer().producer.streams[c.layer()].rid);
        }
        return out;
    }

    private List<Consumer> videos(String... peers) {
        List<Consumer> out = new ArrayList<>();
        for (String p : peers) out.add(video(p));
        return out;
    }

    @Test
    void eachVideoGetsTheTallestLayerItsTileCanShow() {
        ReceiverConstraints c = new ReceiverConstraints(Map.of("a-1", 180, "b-1", 360, "c-1", 0), 1080, List.of(), 16);
        assertEquals(Map.of("a", "q", "b", "h", "c", "paused", "d", "f"),
                layers(VideoAllocator.allocate(videos("a", "b", "c", "d"), c, List.of(), NOW)));
    }

    @Test
    void aTileSmallerThanEveryLayerGetsTheSmallestAndStoppedLayersAreSkipped() {
        List<Consumer> v = videos("a");
        v.get(0).producer.streams[2].lastPacketNanos = 0; // the publisher stopped sending f
        assertEquals(Map.of("a", "h"), layers(VideoAllocator.allocate(v, ReceiverConstraints.DEFAULT, List.of(), NOW)));
        ReceiverConstraints tiny = new ReceiverConstraints(Map.of(), 60, List.of(), 16);
        assertEquals(Map.of("a", "q"), layers(VideoAllocator.allocate(v, tiny, List.of(), NOW)));
    }

    @Test
    void lastNForwardsStageThenSpeakersThenJoinOrder() {
        ReceiverConstraints lastTwo = new ReceiverConstraints(Map.of(), 1080, List.of(), 2);
        List<Consumer> v = videos("a", "b", "c", "d");
        assertEquals(Map.of("a", "f", "b", "f", "c", "paused", "d", "paused"),
                layers(VideoAllocator.allocate(v, lastTwo, List.of(), NOW)), "join order without speakers");
        assertEquals(Map.of("a", "f", "b", "paused", "c", "paused", "d", "f"),
                layers(VideoAllocator.allocate(v, lastTwo, List.of("d"), NOW)), "the dominant speaker comes first");
        ReceiverConstraints pinned = new ReceiverConstraints(Map.of(), 1080, List.of("c"), 2);
        assertEquals(Map.of("a", "paused", "b", "paused", "c", "f", "d", "f"),
                layers(VideoAllocator.allocate(v, pinned, List.of("d", "a"), NOW)), "on stage before speakers");
    }

    /** The ceilings, then the estimate shared by the bitrate allocator (a fresh one: no history). */
    private static Map<String, String> shared(List<Consumer> v, long estimateBps) {
        List<VideoAllocator.Choice> ceilings = VideoAllocator.allocate(v, ReceiverConstraints.DEFAULT, List.of(), NOW);
        BitrateAllocator.Allocation a = new BitrateAllocator().allocate(estimateBps, VideoAllocator.demands(ceilings, NOW), NOW / 1000);
        List<VideoAllocator.Choice> out = new ArrayList<>();
        for (VideoAllocator.Choice c : ceilings) {
            out.add(new VideoAllocator.Choice(c.consumer(), VideoAllocator.streamOf(c.consumer().producer, a.layerOf(c.consumer().ssrc), NOW)));
        }
        return layers(out);
    }

    @Test
    void aLimitedEstimateLowersLayersInPriorityOrderBeforePausing() {
        List<Consumer> v = videos("a", "b", "c");
        for (int i = 0; i < v.size(); i++) v.set(i, withSsrc(v.get(i), 10 + i));
        // Layers cost 105k/315k/1.05M with headers; anything new must fit 85 % of the estimate.
        // 1.8 Mbit/s: everyone q first, then a climbs to f, b to h, and c's h no longer fits
        assertEquals(Map.of("a", "f", "b", "h", "c", "q"), shared(v, 1_800_000));
        // 700k: everyone q, then a climbs to h: layers go down before anyone is paused
        assertEquals(Map.of("a", "h", "b", "q", "c", "q"), shared(v, 700_000));
        // 250k: only two q layers fit; the lowest priority video is paused
        assertEquals(Map.of("a", "q", "b", "q", "c", "paused"), shared(v, 250_000));
    }

    private Consumer withSsrc(Consumer c, long ssrc) {
        return new Consumer(c.producer, subscriber, c.mid, c.codec, ssrc, ssrc + 100);
    }

    @Test
    void aShortEstimateHalvesTheFrameRateBeforeLoweringTheResolution() {
        Consumer a = withSsrc(video("a"), 10);
        // f carries three temporal layers: TID 0 and 1 are half of its 1 Mbit/s
        a.producer.streams[2].setTemporalBitrates(300_000, 200_000, 500_000);
        List<VideoAllocator.Step> ladder = VideoAllocator.ladder(a.producer, NOW);
        assertEquals(6, ladder.size(), "two rungs per layer: " + ladder);
        assertEquals(new VideoAllocator.Step(2, 1, 525_000), ladder.get(4), "f at TID <= 1");
        List<VideoAllocator.Choice> ceilings = VideoAllocator.allocate(List.of(a), ReceiverConstraints.DEFAULT, List.of(), NOW);
        // 800k: full f (1.05M) does not fit, f at half the frame rate (525k) does
        BitrateAllocator.Allocation shortEstimate = new BitrateAllocator().allocate(800_000, VideoAllocator.demands(ceilings, NOW), NOW / 1000);
        VideoAllocator.Step step = VideoAllocator.stepOf(a.producer, shortEstimate.layerOf(10), NOW);
        assertEquals(2, step.stream(), "still the f layer");
        assertEquals(1, step.maxTemporal(), "without TID 2");
        // 1.5M: full f
        BitrateAllocator.Allocation enough = new BitrateAllocator().allocate(1_500_000, VideoAllocator.demands(ceilings, NOW), NOW / 1000);
        assertEquals(new VideoAllocator.Step(2, Consumer.ALL_TEMPORAL, 1_050_000), VideoAllocator.stepOf(a.producer, enough.layerOf(10), NOW));
        // 500k: not even f at half rate, so h (315k) at full rate (h's temporal rates are unknown)
        BitrateAllocator.Allocation less = new BitrateAllocator().allocate(500_000, VideoAllocator.demands(ceilings, NOW), NOW / 1000);
        assertEquals(new VideoAllocator.Step(1, Consumer.ALL_TEMPORAL, 315_000), VideoAllocator.stepOf(a.producer, less.layerOf(10), NOW));
    }

    @Test
    void aStreamWithoutTemporalLayersIsChosenByResolutionOnly() {
        Consumer a = video("a");
        for (VideoAllocator.Step step : VideoAllocator.ladder(a.producer, NOW)) {
            assertEquals(Consumer.ALL_TEMPORAL, step.maxTemporal(), "no rung drops frames: " + step);
        }
        a.producer.streams[2].setTemporalBitrates(1_000_000); // TID present but only TL0
        for (VideoAllocator.Step step : VideoAllocator.ladder(a.producer, NOW)) {
            assertEquals(Consumer.ALL_TEMPORAL, step.maxTemporal(), "no rung drops frames: " + step);
        }
    }
}
