package dev.parley.bench.srtp;

import dev.parley.bench.BenchEnvironment;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.srtp.SrtpSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SRTP cost per packet on one core: protect then unprotect the same buffer in place, for each
 * profile and two packet sizes (an Opus frame and a full video packet). Prints packets/s and
 * bytes allocated per packet, and writes bench/results/srtp.json.
 *
 * <p>Run: {@code mvn -o -q test-compile && java -cp target/classes:target/test-classes
 * dev.parley.bench.srtp.SrtpBench [seconds-per-case]}
 */
public final class SrtpBench {
    private static final int SSRC = 0x1234ABCD;
    /** An Opus frame and a full video packet. */
    private static final int[] PAYLOADS = {160, 1100};

    /** Rates per wall-clock second and per second of this thread's CPU time (less load-sensitive). */
    private record Result(SrtpProfile profile, int payload, double pairsPerSecond, double pairsPerCpuSecond,
            double cpuNsPerPair, double allocatedBytesPerPair) {
    }

    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        String loadBefore = BenchEnvironment.loadAverage();
        List<Result> results = new ArrayList<>();
        // Warm every case before measuring any: on a busy machine the JIT lags, and a case
        // measured right after its first warm-up can still be running interpreted code.
        for (int round = 0; round < 2; round++) {
            for (SrtpProfile profile : SrtpProfile.values()) {
                for (int payload : PAYLOADS) {
                    run(profile, payload, 1.0);
                }
            }
        }
        for (SrtpProfile profile : SrtpProfile.values()) {
            for (int payload : PAYLOADS) {
                Result r = run(profile, payload, seconds);
                results.add(r);
                System.out.printf(Locale.ROOT,
                        "%-24s payload %4d B: %,10.0f pairs/CPU-s (%,10.0f pairs/wall-s)  %7.1f CPU-ns/pair  %6.1f B alloc/pair%n",
                        profile, payload, r.pairsPerCpuSecond, r.pairsPerSecond, r.cpuNsPerPair, r.allocatedBytesPerPair);
            }
        }
        write(results, seconds, loadBefore);
    }

    private static Result run(SrtpProfile profile, int payload, double seconds) {
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (31 * i + 7);
        }
        SrtpSession sender = SrtpSession.create(profile, key, salt);
        SrtpSession receiver = SrtpSession.create(profile, key, salt);
        int clearLength = 12 + payload;
        byte[] packet = new byte[clearLength + profile.rtpOverhead()];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[8] = (byte) (SSRC >>> 24);
        packet[9] = (byte) (SSRC >>> 16);
        packet[10] = (byte) (SSRC >>> 8);
        packet[11] = (byte) SSRC;

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long pairs = 0;
        int seq = 0;
        while (true) {
            for (int batch = 0; batch < 1024; batch++) {
                seq = (seq + 1) & 0xFFFF;
                packet[2] = (byte) (seq >>> 8);
                packet[3] = (byte) seq;
                int n = sender.protectRtp(packet, 0, clearLength);
                if (receiver.unprotectRtp(packet, 0, n) != clearLength) {
                    throw new IllegalStateException("round trip failed at seq " + seq);
                }
            }
            pairs += 1024;
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        return new Result(profile, payload, pairs / (elapsed / 1e9), pairs / (cpu / 1e9), (double) cpu / pairs,
                (double) allocated / pairs);
    }

    private static void write(List<Result> results, double seconds, String loadBefore) throws IOException {
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"benchmark\": \"srtp\",\n");
        json.append("  \"date\": \"").append(Instant.now()).append("\",\n");
        json.append("  \"nproc\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        json.append("  \"cpu\": \"").append(cpuModel().replace("\"", "'")).append("\",\n");
        json.append("  \"java\": \"").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append("\",\n");
        json.append("  \"secondsPerCase\": ").append(seconds).append(",\n");
        // The machine is shared: record how busy it was, since absolute numbers drift with it.
        json.append("  \"loadAverageBefore\": \"").append(loadBefore).append("\",\n");
        json.append("  \"loadAverageAfter\": \"").append(BenchEnvironment.loadAverage()).append("\",\n");
        json.append("  \"method\": \"one thread; protect then unprotect in place per packet (a pair); one SSRC; sequence increments; per-CPU-second rates use the thread's own CPU time, which excludes waiting for a core but not cache and SMT contention, so on a loaded machine they are pessimistic\",\n");
        json.append("  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            json.append(String.format(Locale.ROOT,
                    "    {\"profile\": \"%s\", \"payloadBytes\": %d, \"pairsPerCpuSecond\": %.0f, "
                            + "\"pairsPerWallSecond\": %.0f, \"cpuNsPerPair\": %.1f, \"allocatedBytesPerPair\": %.1f}%s%n",
                    r.profile, r.payload, r.pairsPerCpuSecond, r.pairsPerSecond, r.cpuNsPerPair, r.allocatedBytesPerPair,
                    i + 1 < results.size() ? "," : ""));
        }
        json.append("  ]\n}\n");
        Path out = Path.of("bench", "results", "srtp.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.println("wrote " + out);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Not Linux: leave the model unknown.
        }
        return "unknown";
    }
}
