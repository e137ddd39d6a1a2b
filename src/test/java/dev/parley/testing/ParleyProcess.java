package dev.parley.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parley's {@code Main} in a JVM of its own (this test run's classpath), as an operator starts it:
 * for what only a process shows (exit status, signals, a crash). The HTTP port is 0 unless the
 * arguments say otherwise; the bound port is read from the "Parley listening on" log line.
 * Standard output and error go to a log file, read when a test needs them or fails.
 */
public final class ParleyProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Parley listening on http://[^:]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60); // a JVM start on a loaded 2-core machine

    private final Process process;
    private final Path log;
    private final int port;

    private ParleyProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code dev.parley.server.Main} with {@code args} after loopback defaults (HTTP on
     * 127.0.0.1 port 0, SFU on a free UDP port, no ICE-TCP, TURN off); later flags win. Returns once
     * the HTTP listener is bound; fails with the process's output if it exits or never listens.
     */
    public static ParleyProcess start(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--turn", "off",
                "--sfu-bind", "127.0.0.1", "--sfu-port", "0", "--sfu-tcp-port", "-1", "--sfu-announced-address", "127.0.0.1"));
        all.addAll(List.of(args));
        Path log = tempLog();
        Process process;
        try {
            process = new ProcessBuilder(command(all)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("could not start a Parley JVM", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(read(log));
            if (listening.find()) return new ParleyProcess(process, log, Integer.parseInt(listening.group(1)));
            if (!process.isAlive()) break;
            pause(50);
        }
        process.destroyForcibly();
        throw new AssertionError("Parley did not start (exit " + (process.isAlive() ? "none" : process.exitValue())
                + "); its output:\n" + read(log));
    }

    /** Runs Main with exactly {@code args} to its end (e.g. {@code --help}); stdout and stderr kept apart. */
    public static Outcome run(String... args) {
        Path out = tempLog();
        Path err = tempLog();
        try {
            Process process = new ProcessBuilder(command(List.of(args)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("parley " + String.join(" ", args) + " did not exit; its output:\n" + read(out) + read(err));
            }
            return new Outcome(process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new AssertionError("could not start a Parley JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** What a finished run printed and how it ended. */
    public record Outcome(int exitStatus, String stdout, String stderr) {}

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.parley.server.Main"));
        command.addAll(args);
        return command;
    }

    public int port() {
        return port;
    }

    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public Process process() {
        return process;
    }

    /** Everything the process printed so far. */
    public String output() {
        return read(log);
    }

    /**
     * Sends SIGTERM ({@link Process#destroy()} does that on Linux: {@code ProcessHandleImpl.destroy0}
     * calls {@code kill(pid, SIGTERM)} unless forced) and returns the exit status.
     */
    public int terminate() {
        process.destroy();
        try {
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Parley did not exit after SIGTERM; its output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is told. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static Path tempLog() {
        try {
            Path file = Files.createTempFile("parley-process", ".log");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new AssertionError("no temporary file for the process's output", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
