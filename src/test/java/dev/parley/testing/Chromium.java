package dev.parley.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium driven by Playwright, with fake camera and microphone (TESTING.md).
 * One browser per test class; each {@link #newPage()} gets its own context (own origin storage).
 * Run inside the test script's network namespace so WebRTC only sees loopback.
 */
public final class Chromium implements AutoCloseable {
    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    /** Command-line switches every test browser gets (TESTING.md), minus --headless. */
    public static final List<String> FLAGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required");
    private final Playwright playwright;
    private final Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();

    private Chromium(List<String> extraArgs) {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: run ./scripts/test (it installs Debian's chromium)");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        List<String> args = new ArrayList<>(FLAGS);
        args.addAll(extraArgs);
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(args));
    }

    public static Chromium launch() {
        return new Chromium(List.of());
    }

    public static Chromium launch(List<String> extraArgs) {
        return new Chromium(extraArgs);
    }

    /** A page in a fresh browser context, with console errors forwarded to stdout for debugging. */
    public Page newPage() {
        return newPage(new Browser.NewContextOptions());
    }

    /** The same with context options of the caller's, e.g. {@code setIgnoreHTTPSErrors(true)} for a self-signed server. */
    public Page newPage(Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options.setViewportSize(1280, 800));
        contexts.add(context);
        Page page = context.newPage();
        page.setDefaultTimeout(45_000);
        page.onConsoleMessage(m -> System.out.println("[browser " + m.type() + "] " + m.text()));
        page.onPageError(e -> System.out.println("[browser pageerror] " + e));
        return page;
    }

    @Override
    public void close() {
        for (BrowserContext c : contexts) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the browser may be gone already
            }
        }
        browser.close();
        playwright.close();
    }
}
