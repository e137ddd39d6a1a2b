package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which layer of which video a subscriber gets: tile sizes, stage, speakers, last-N, bitrate. */
class VideoAllocatorTest {
    private static final long NOW = 10_000_000_000L;
    private final Participant subscriber = new Participant("me", null);

    /** A simulcast video whose q/h/f layers (120/240/480 px, 100k/300k/1M bit/s) are all arriving. */
    private Consumer video(String peerId) {
        SfuSdp.PublishedTrack track = new SfuSdp.PublishedTrack("1", MediaKind.VIDEO, new CodecChoice("VP8", 96, 97, null),
                0, 0, 1, 0, List.of("q", "h", "f"), 2, 3);
        Producer producer = new Producer(peerId + "-1", new Participant(peerId, null), track);
        int[] heights = {120, 240, 480};
        long[] rates = {100_000, 300_000, 1_000_000};
        for (int i = 0; i < 3; i++) {
            producer.streams[i].height = heights[i];
            producer.streams[i].bitrate = rates[i];
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
                layers(VideoAllocator.allocate(videos("a", "b", "c", "d"), c, List.of(), Long.MAX_VALUE, NOW)));
    }

    @Test
    void aTileSmallerThanEveryLayerGetsTheSmallestAndStoppedLayersAreSkipped() {
        List<Consumer> v = videos("a");
        v.get(0).producer.streams[2].lastPacketNanos = 0; // the publisher stopped sending f
        assertEquals(Map.of("a", "h"), layers(VideoAllocator.allocate(v, ReceiverConstraints.DEFAULT, List.of(), Long.MAX_VALUE, NOW)));
        ReceiverConstraints tiny = new ReceiverConstraints(Map.of(), 60, List.of(), 16);
        assertEquals(Map.of("a", "q"), layers(VideoAllocator.allocate(v, tiny, List.of(), Long.MAX_VALUE, NOW)));
    }

    @Test
    void lastNForwardsStageThenSpeakersThenJoinOrder() {
        ReceiverConstraints lastTwo = new ReceiverConstraints(Map.of(), 1080, List.of(), 2);
        List<Consumer> v = videos("a", "b", "c", "d");
        assertEquals(Map.of("a", "f", "b", "f", "c", "paused", "d", "paused"),
                layers(VideoAllocator.allocate(v, lastTwo, List.of(), Long.MAX_VALUE, NOW)), "join order without speakers");
        assertEquals(Map.of("a", "f", "b", "paused", "c", "paused", "d", "f"),
                layers(VideoAllocator.allocate(v, lastTwo, List.of("d"), Long.MAX_VALUE, NOW)), "the dominant speaker comes first");
        ReceiverConstraints pinned = new ReceiverConstraints(Map.of(), 1080, List.of("c"), 2);
        assertEquals(Map.of("a", "paused", "b", "paused", "c", "f", "d", "f"),
                layers(VideoAllocator.allocate(v, pinned, List.of("d", "a"), Long.MAX_VALUE, NOW)), "on stage before speakers");
    }

    @Test
    void aLimitedBitrateLowersLayersInPriorityOrderBeforePausing() {
        List<Consumer> v = videos("a", "b", "c");
        // 1.5 Mbit/s: everyone q first (300k), then a climbs to f (+900k), b to h (+200k), c stays q
        assertEquals(Map.of("a", "f", "b", "h", "c", "q"),
                layers(VideoAllocator.allocate(v, ReceiverConstraints.DEFAULT, List.of(), 1_500_000, NOW)));
        // 500k: everyone q (300k), then a climbs to h (+200k): layers go down before anyone is paused
        assertEquals(Map.of("a", "h", "b", "q", "c", "q"),
                layers(VideoAllocator.allocate(v, ReceiverConstraints.DEFAULT, List.of(), 500_000, NOW)));
        // 250k: only two q layers fit; the lowest priority video is paused
        assertEquals(Map.of("a", "q", "b", "q", "c", "paused"),
                layers(VideoAllocator.allocate(v, ReceiverConstraints.DEFAULT, List.of(), 250_000, NOW)));
    }
}
