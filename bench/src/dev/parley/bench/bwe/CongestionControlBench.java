package dev.parley.bench.bwe;

import dev.parley.bench.BenchEnvironment;
import dev.parley.codec.rtcp.Rtcp;
import dev.parley.codec.rtcp.RtcpPacket;
import dev.parley.codec.rtcp.TransportWideCcFeedback;
import dev.parley.codec.rtp.RtpPacket;
import dev.parley.sfu.bwe.SubscriberCongestionControl;
import dev.parley.sfu.bwe.TransportCcReceiver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What congestion control adds to the SFU's packet path, per packet on one core, with the
 * periodic work (feedback built every 50 ms, feedback parsed and fed to the estimator)
 * amortised over the packets it covers:
 * <ul>
 *   <li>publisher side: {@link TransportCcReceiver#onPacket} + feedback build and marshal;
 *   <li>subscriber side: stamp + record ({@link SubscriberCongestionControl#prepare}/{@code onSent})
 *       + feedback parse and {@code onRtcp} (the estimator's per-feedback work).
 * </ul>
 * Packets arrive at 1000/s of virtual time (a 10 Mbps publisher), no loss. Writes
 * bench/results/bwe.json.
 *
 * <p>Run: {@code mvn -o -q test-compile && java -cp target/classes:target/test-classes
 * dev.parley.bench.bwe.CongestionControlBench [seconds-per-case]}
 */
public final class CongestionControlBench {
    private static final long PACKET_INTERVAL_MICROS = 1_000;

    private record Result(String path, double packetsPerCpuSecond, double cpuNsPerPacket, double allocatedBytesPerPacket) {}

    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        String loadBefore = BenchEnvironment.loadAverage();
        for (int round = 0; round < 2; round++) { // warm both before measuring either
            publisherSide(1.0);
            subscriberSide(1.0);
        }
        List<Result> results = List.of(publisherSide(seconds), subscriberSide(seconds));
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-60s %,12.0f packets/CPU-s  %7.1f CPU-ns/packet  %6.1f B alloc/packet%n",
                    r.path, r.packetsPerCpuSecond, r.cpuNsPerPacket, r.allocatedBytesPerPacket);
        }
        write(results, seconds, loadBefore);
    }

    private static Result publisherSide(double seconds) {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        long[] sink = {0};
        return measure("publisher: onPacket + feedback every 50 ms", seconds, (i, now) -> {
            receiver.onPacket(i & 0xFFFF, 9, now);
            if (receiver.feedbackDue(now)) {
                for (TransportWideCcFeedback f : receiver.buildFeedback(now)) {
                    sink[0] += f.marshal().length;
                }
            }
        });
    }

    private static Result subscriberSide(double seconds) {
        SubscriberCongestionControl subscriber = new SubscriberCongestionControl(3, 0);
        TransportCcReceiver farEnd = new TransportCcReceiver(2); // stands in for the browser
        byte[] packet = RtpPacket.of(96, 1, 2, 3, false, new byte[1100]).marshal();
        byte[] out = new byte[1500];
        List<byte[]> feedback = new ArrayList<>();
        Result r = measureWithSetup("subscriber: stamp + onSent + feedback parse + estimator", seconds, (i, now) -> {
            int n = subscriber.prepare(packet, 0, packet.length, out, 0);
            subscriber.onSent(n, now);
            int sequence = i & 0xFFFF;
            for (byte[] f : feedback) {
                for (RtcpPacket p : Rtcp.parseCompound(f)) {
                    subscriber.onRtcp(p, now);
                }
            }
            feedback.clear();
            return sequence;
        }, (sequence, now) -> {
            // The browser's side, not the SFU's: excluded from the CPU count.
            farEnd.onPacket(sequence, 3, now + 20_000);
            if (farEnd.feedbackDue(now + 20_000)) {
                for (TransportWideCcFeedback f : farEnd.buildFeedback(now + 20_000)) {
                    feedback.add(f.marshal());
                }
            }
        });
        if (subscriber.estimator().feedbacksReceived() == 0) {
            throw new IllegalStateException("the estimator saw no feedback");
        }
        return r;
    }

    private interface Step {
        void run(int index, long nowMicros);
    }

    private interface MeasuredStep {
        int run(int index, long nowMicros);
    }

    private interface Unmeasured {
        void run(int value, long nowMicros);
    }

    private static Result measure(String path, double seconds, Step step) {
        return measureWithSetup(path, seconds, (i, now) -> {
            step.run(i, now);
            return 0;
        }, null);
    }

    /** Counts this thread's CPU for {@code step} only; {@code outside} runs with the meter paused. */
    private static Result measureWithSetup(String path, double seconds, MeasuredStep step, Unmeasured outside) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long cpu = 0;
        long allocated = 0;
        int packets = 0;
        long now = 0;
        int[] values = new int[256];
        while (System.nanoTime() < deadline) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long allocStart = threads.getThreadAllocatedBytes(thread);
            for (int b = 0; b < 256; b++) {
                now += PACKET_INTERVAL_MICROS;
                values[b] = step.run(packets + b, now);
            }
            cpu += threads.getCurrentThreadCpuTime() - cpuStart;
            allocated += threads.getThreadAllocatedBytes(thread) - allocStart;
            if (outside != null) {
                long t = now - 256 * PACKET_INTERVAL_MICROS;
                for (int b = 0; b < 256; b++) {
                    t += PACKET_INTERVAL_MICROS;
                    outside.run(values[b], t);
                }
            }
            packets += 256;
        }
        return new Result(path, packets / (cpu / 1e9), (double) cpu / packets, Math.max(0, (double) allocated / packets));
    }

    private static void write(List<Result> results, double seconds, String loadBefore) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "bwe");
        json.putAll(BenchEnvironment.describe());
        json.put("secondsPerCase", seconds);
        json.put("loadAverageBefore", loadBefore);
        json.put("loadAverageAfter", BenchEnvironment.loadAverage());
        json.put("method", "one thread; 1000 packets per second of virtual time (a 10 Mbps stream); feedback every "
                + "50 ms amortised over the packets it covers; CPU is this thread's own time, so on a loaded machine "
                + "the rates are pessimistic; the far end's feedback building on the subscriber side is not counted");
        List<Object> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("path", r.path);
            row.put("packetsPerCpuSecond", Math.round(r.packetsPerCpuSecond));
            row.put("cpuNsPerPacket", Math.round(r.cpuNsPerPacket * 10) / 10.0);
            row.put("allocatedBytesPerPacket", Math.round(r.allocatedBytesPerPacket * 10) / 10.0);
            rows.add(row);
        }
        json.put("results", rows);
        Path out = Path.of("bench", "results", "bwe.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, BenchEnvironment.toJson(json) + "\n");
        System.out.println("wrote " + out);
    }
}
