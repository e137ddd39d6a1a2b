package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whatever the layers' own numbering and whenever the target layer changes, what a consumer
 * forwards is one continuous stream: sequence numbers step by exactly one, timestamps never go
 * back, PictureID steps by one per frame and TL0PICIDX never jumps back, and the forwarded
 * layer changes only on a key frame of the new layer.
 */
class ConsumerRewritingProperties {
    /** One simulcast layer's sender state: its own random starting points, like a real encoder. */
    private static final class Layer {
        int seq;
        long ts;
        int pic;
        int tl0;
        int framesSinceKey;
        final int keyInterval;

        Layer(Random r) {
            seq = r.nextInt(1 << 16);
            ts = r.nextLong(1L << 32);
            pic = r.nextInt(1 << 15);
            tl0 = r.nextInt(256);
            keyInterval = 5 + r.nextInt(40);
            framesSinceKey = r.nextInt(keyInterval);
        }
    }

    /** A consumer of a VP8 producer with simulcast layers q, h, f. */
    static Consumer simulcastConsumer() {
        SfuSdp.PublishedTrack track = new SfuSdp.PublishedTrack("1", MediaKind.VIDEO, new CodecChoice("VP8", 96, 97, null),
                0, 0, 1, 0, List.of("q", "h", "f"), 2, 3, 0);
        Producer producer = new Producer("p-1", new Participant("p", null), track);
        return new Consumer(producer, new Participant("s", null), "0",
                CodecChoice.subscriberSide(MediaKind.VIDEO, "VP8", null), 1, 2);
    }

    @Property(tries = 300)
    void forwardedStreamIsContinuousAcrossLayerSwitches(@ForAll long seed) {
        Random r = new Random(seed);
        Consumer consumer = simulcastConsumer();
        Layer[] layers = {new Layer(r), new Layer(r), new Layer(r)};
        long now = 1_000_000_000L;
        int lastSeq = -1;
        long lastTs = -1;
        int lastPic = -1;
        int lastTl0 = -1;
        int forwardedFrames = 0;
        int previousLayer = -1;
        for (int frame = 0; frame < 600; frame++) {
            if (r.nextInt(40) == 0) consumer.targetLayer = r.nextInt(4) - 1; // -1 pauses
            if (consumer.targetLayer < 0) consumer.stopForwarding();
            now += 33_000_000L;
            for (int l = 0; l < 3; l++) {
                Layer layer = layers[l];
                boolean key = layer.framesSinceKey == 0 || (r.nextInt(60) == 0);
                layer.framesSinceKey = key ? 1 : (layer.framesSinceKey + 1) % layer.keyInterval;
                if (key || r.nextInt(4) == 0) layer.tl0 = (layer.tl0 + 1) & 0xFF;
                layer.pic = (layer.pic + 1) & 0x7FFF;
                layer.ts = (layer.ts + 2970) & 0xFFFFFFFFL;
                int packets = 1 + r.nextInt(3);
                boolean frameForwarded = false;
                for (int p = 0; p < packets; p++) {
                    layer.seq = (layer.seq + 1) & 0xFFFF;
                    boolean keyStart = key && p == 0;
                    if (!consumer.accept(l, layer.seq, layer.ts, keyStart, layer.pic, layer.tl0, now)) continue;
                    if (consumer.currentLayer != previousLayer) {
                        assertTrue(keyStart, "layer changed to " + l + " on a packet that does not start a key frame");
                        previousLayer = consumer.currentLayer;
                    }
                    assertEquals(consumer.targetLayer == l || consumer.currentLayer == l, true);
                    int seq = consumer.outputSequence(layer.seq);
                    long ts = consumer.outputTimestamp(layer.ts);
                    int pic = consumer.outputPictureId(layer.pic);
                    int tl0 = consumer.outputTl0PicIdx(layer.tl0);
                    if (lastSeq >= 0) {
                        assertEquals((lastSeq + 1) & 0xFFFF, seq, "sequence numbers step by one");
                        long step = (ts - lastTs) & 0xFFFFFFFFL;
                        assertTrue(step < 90_000L * 10, "timestamps never go back: " + lastTs + " -> " + ts);
                        int picStep = (pic - lastPic) & 0x7FFF;
                        assertTrue(frameForwarded ? picStep == 0 : picStep == 1, "PictureID steps by one per frame, got " + picStep);
                        int tl0Step = (tl0 - lastTl0) & 0xFF;
                        assertTrue(tl0Step <= 2, "TL0PICIDX does not jump: " + lastTl0 + " -> " + tl0);
                    }
                    consumer.sent(seq, ts, pic, tl0, now);
                    lastSeq = seq;
                    lastTs = ts;
                    lastPic = pic;
                    lastTl0 = tl0;
                    frameForwarded = true;
                }
                if (frameForwarded) forwardedFrames++;
            }
            if (consumer.currentLayer < 0) previousLayer = -1;
        }
        assertTrue(forwardedFrames > 0 || consumer.targetLayer < 0, "something was forwarded");
    }
}
