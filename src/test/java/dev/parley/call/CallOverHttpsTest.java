package dev.parley.call;

import static dev.parley.call.CallPages.awaitMoreFrames;
import static dev.parley.call.CallPages.awaitRemote;
import static dev.parley.call.CallPages.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.parley.call.CallPages.RemoteMedia;
import dev.parley.server.ParleyServer;
import dev.parley.server.TestConfigs;
import dev.parley.testing.Chromium;
import dev.parley.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A call between two Chromium pages served by Parley's own HTTPS listener. The pages use the host
 * name parley.test (mapped to 127.0.0.1 inside the browser): unlike localhost, plain http:// on
 * such a name is no secure context, so camera, microphone and the call work only because Parley
 * serves https:// and wss:// itself. The certificate is self-signed, made in the test; the pages
 * accept it as a person does after comparing the fingerprint (Playwright's ignoreHTTPSErrors).
 */
@Tag("browser")
class CallOverHttpsTest {
    private static final String HOST = "parley.test";
    private static Path dir;
    private static ParleyServer server;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parley-https");
        server = new ParleyServer(TestConfigs.loopback(TestCertificates.selfSignedFiles(dir, HOST).tlsFlags())).start();
        chromium = Chromium.launch(List.of("--host-resolver-rules=MAP " + HOST + " 127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) Files.delete(file);
        }
        Files.delete(dir);
    }

    private static Page page() {
        Page page = chromium.newPage(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
        page.setDefaultTimeout(60_000);
        page.setDefaultNavigationTimeout(60_000);
        return page;
    }

    private static Page openCall(String url) {
        Page page = page();
        page.navigate(url);
        page.waitForFunction("() => window.parleyCall && window.parleyCall.room");
        return page;
    }

    @Test
    void plainHttpOnThatNameIsNoSecureContextSoParleyRedirectsToHttps() {
        Page page = page();
        try {
            page.navigate("http://" + HOST + ":" + server.port() + "/healthz");
            assertEquals(false, page.evaluate("window.isSecureContext"), "http://" + HOST + " has no camera or microphone");
            page.navigate("http://" + HOST + ":" + server.port() + "/call?name=Ann");
            assertEquals("https://" + HOST + ":" + server.tlsPort() + "/call?name=Ann", page.url());
            assertEquals(true, page.evaluate("window.isSecureContext"));
        } finally {
            page.context().close();
        }
    }

    @Test
    void twoPagesOnHttpsCallEachOtherOverWssAndDecodeEachOthersMedia() {
        String base = "https://" + HOST + ":" + server.tlsPort();
        Page ann = openCall(base + "/call?name=Ann");
        Page bob = null;
        try {
            awaitState(ann, "waiting");
            String room = (String) ann.evaluate("window.parleyCall.room");
            bob = openCall(base + "/call?name=Bob&room=" + room);
            awaitState(ann, "connected");
            awaitState(bob, "connected");
            for (Page page : List.of(ann, bob)) {
                assertEquals(true, page.evaluate("window.isSecureContext"));
                assertEquals("wss://" + HOST + ":" + server.tlsPort() + "/ws", page.evaluate("window.parleyCall.signaling.url"));
                RemoteMedia first = awaitRemote(page, "video with a size and audio packets",
                        m -> m.framesDecoded() > 0 && m.videoWidth() > 0 && m.audioPacketsReceived() > 0);
                RemoteMedia later = awaitMoreFrames(page, first, 20);
                assertTrue(later.audioPacketsReceived() > first.audioPacketsReceived(), "audio packets keep arriving");
                assertEquals("connected", later.connectionState());
            }
            assertEquals("Bob", ann.textContent("#remote-name"));
            assertEquals("Ann", bob.textContent("#remote-name"));
        } finally {
            ann.context().close();
            if (bob != null) bob.context().close();
        }
    }
}
