package dev.parley.testing;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium with an on-disk profile, as a person's browser has. {@link Chromium}'s contexts
 * are off the record, and there storage differs: OPFS lives in memory and a full quota shows up as
 * nonsense write counts instead of QuotaExceededError. {@link #close()} deletes the profile.
 */
public final class ChromiumProfile implements AutoCloseable {
    private final Playwright playwright;
    private final BrowserContext context;
    private final Path profile;

    private ChromiumProfile(List<String> extraArgs) {
        try {
            profile = Files.createTempDirectory("parley-chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        List<String> args = new ArrayList<>(Chromium.FLAGS);
        args.addAll(extraArgs);
        context = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(Chromium.EXECUTABLE).setHeadless(true).setArgs(args).setViewportSize(1280, 800));
    }

    public static ChromiumProfile launch(List<String> extraArgs) {
        return new ChromiumProfile(extraArgs);
    }

    /** The profile's page (one per browser here), with page errors forwarded to stdout. */
    public Page page() {
        Page page = context.pages().isEmpty() ? context.newPage() : context.pages().get(0);
        page.setDefaultTimeout(45_000);
        page.onPageError(e -> System.out.println("[browser pageerror] " + e));
        return page;
    }

    @Override
    public void close() {
        context.close();
        playwright.close();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.out.println("left " + profile + ": " + e);
        }
    }
}
