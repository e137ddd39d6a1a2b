package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * VP8 temporal layer filtering (RFC 7741 §4.2): with the target temporal layer changing at
 * random over a stream whose frames carry TIDs in the usual three-layer pattern 0,2,1,2, what a
 * consumer forwards has contiguous sequence numbers, PictureID steps by one per forwarded frame,
 * no frame above the target is forwarded, frames are forwarded or dropped whole, and the
 * forwarded layer goes up only at a TL0 frame or a layer sync (Y=1) frame.
 */
class TemporalLayerProperties {
    private static final int[] PATTERN = {0, 2, 1, 2};

    @Property(tries = 300)
    void forwardedFramesStayContinuousWhateverTheTemporalTarget(@ForAll long seed) {
        Random r = new Random(seed);
        Consumer consumer = ConsumerRewritingProperties.simulcastConsumer();
        int layer = consumer.targetLayer;
        int seq = r.nextInt(1 << 16);
        long ts = r.nextLong(1L << 32);
        int pic = r.nextInt(1 << 15);
        int tl0 = r.nextInt(256);
        int keyInterval = 20 + r.nextInt(200);
        long now = 1_000_000_000L;
        int lastSeq = -1;
        int lastPic = -1;
        int forwardedFrames = 0;
        int droppedFrames = 0;
        for (int frame = 0; frame < 800; frame++) {
            if (r.nextInt(12) == 0) consumer.targetTemporal = r.nextInt(3);
            boolean key = frame % keyInterval == 0;
            int tid = key ? 0 : PATTERN[frame % PATTERN.length];
            boolean sync = tid > 0 && r.nextInt(3) == 0;
            if (tid == 0) tl0 = (tl0 + 1) & 0xFF;
            pic = (pic + 1) & 0x7FFF;
            ts = (ts + 3000) & 0xFFFFFFFFL;
            now += 33_000_000L;
            int packets = 1 + r.nextInt(3);
            int forwardedPackets = 0;
            for (int p = 0; p < packets; p++) {
                seq = (seq + 1) & 0xFFFF;
                int before = consumer.currentTemporal;
                boolean started = consumer.currentLayer >= 0;
                if (!consumer.accept(layer, seq, ts, key && p == 0, pic, tl0, tid, sync, now)) continue;
                forwardedPackets++;
                if (started && consumer.currentTemporal > before) {
                    assertTrue(p == 0 && (tid == 0 || sync), "up-switch from TID " + before + " on a frame with TID " + tid
                            + " and Y=" + sync + " (packet " + p + ")");
                }
                assertTrue(tid <= consumer.targetTemporal, "TID " + tid + " forwarded above target " + consumer.targetTemporal);
                int outSeq = consumer.outputSequence(seq);
                int outPic = consumer.outputPictureId(pic);
                if (lastSeq >= 0) {
                    assertEquals((lastSeq + 1) & 0xFFFF, outSeq, "sequence numbers step by one");
                    assertEquals(p == 0 || forwardedPackets == 1 ? 1 : 0, (outPic - lastPic) & 0x7FFF,
                            "PictureID steps by one per forwarded frame");
                }
                assertEquals(seq, consumer.inputSequence(outSeq), "a NACK maps back to the packet");
                consumer.sent(outSeq, consumer.outputTimestamp(ts), outPic, consumer.outputTl0PicIdx(tl0), now);
                lastSeq = outSeq;
                lastPic = outPic;
            }
            assertTrue(forwardedPackets == 0 || forwardedPackets == packets, "frames are forwarded or dropped whole");
            if (forwardedPackets > 0) forwardedFrames++; else droppedFrames++;
        }
        assertTrue(forwardedFrames > 0, "something was forwarded");
        assertTrue(droppedFrames > 0, "a target below 2 drops frames");
    }
}
