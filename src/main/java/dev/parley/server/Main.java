package dev.parley.server;

import ch.qos.logback.classic.Level;
import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar parley.jar [options]}: runs Parley until SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {}

    /**
     * Netty's leak detector samples buffer allocations and records stack traces (about 0.5 % of the
     * TURN relay's CPU, see docs/benchmarks.md). It is a debugging aid: the server runs without it
     * unless {@code -Dio.netty.leakDetection.level=...} asks for it. Tests keep Netty's default.
     */
    static void disableLeakDetectionUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    public static void main(String[] args) throws Exception {
        disableLeakDetectionUnlessAsked();
        if (TokenCommand.wanted(args)) {
            System.exit(TokenCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    java.time.Clock.systemUTC(), System.out, System.err));
            return;
        }
        if (ConfigLoader.wantsHelp(args)) {
            System.out.print(ConfigLoader.helpText());
            return;
        }
        ParleyConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.toLevel(config.logLevel()));
        ParleyServer server;
        try {
            server = new ParleyServer(config);
        } catch (StartupException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            server.start();
        } catch (StartupException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }
}
