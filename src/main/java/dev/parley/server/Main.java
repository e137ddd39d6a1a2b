package dev.parley.server;

import ch.qos.logback.classic.Level;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar parley.jar [options]}: runs Parley until SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
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
