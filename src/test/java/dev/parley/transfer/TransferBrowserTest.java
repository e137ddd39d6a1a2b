package dev.parley.transfer;

import static dev.parley.transfer.TransferPages.awaitReceiverState;
import static dev.parley.transfer.TransferPages.awaitSenderState;
import static dev.parley.transfer.TransferPages.link;
import static dev.parley.transfer.TransferPages.randomFile;
import static dev.parley.transfer.TransferPages.sha256;
import static dev.parley.transfer.TransferPages.storedSha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole file page to page through Parley: verified on both sides, progress to 100 %. */
@Tag("browser")
class TransferBrowserTest {
    private static TestServer server;
    private static TransferPages pages;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        pages = new TransferPages(server);
    }

    @AfterEach
    void closeBrowsers() {
        pages.close();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hundredMegabyteRandomFileArrivesWithEqualSha256AndFullProgressOnBothSides(@TempDir Path dir) throws Exception {
        long size = Long.getLong("transfer.test.bytes", 100L * 1024 * 1024);
        Path file = randomFile(dir, "random.bin", size, 42);
        String expected = sha256(file);

        Page sender = pages.shareFiles("Ann", List.of(file));
        Page receiver;
        try {
            receiver = pages.openLink(link(sender), "Bob");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; sender: " + TransferPages.diagnose(sender), e);
        }
        assertTrue(receiver.textContent("#offer-title").contains("Ann"), "receiver sees who sends");
        assertTrue(receiver.textContent("#offered-files").contains("random.bin"));
        screenshots(sender, receiver, "offer");
        receiver.click("#accept");
        receiver.waitForFunction("window.parleyTransfer.receiver.totalReceived > window.parleyTransfer.receiver.totalSize / 3", null,
                new Page.WaitForFunctionOptions().setTimeout(TransferPages.LONG_WAIT).setPollingInterval(50));
        screenshots(sender, receiver, "progress");

        awaitReceiverState(receiver, "done");
        awaitSenderState(sender, "done");
        assertEquals(expected, receiver.getAttribute(".file-state", "data-sha256"), "app's SHA-256 on the receiver");
        assertEquals(expected, storedSha256(receiver, 0), "bytes stored in the receiving browser");
        assertEquals("100", receiver.getAttribute("#total-progress", "data-percent"));
        assertEquals("100", sender.getAttribute(".receiver .figures", "data-percent"));
        assertEquals("verified", sender.getAttribute(".receiver .file-state", "data-state"));
        assertTrue(sender.textContent(".receiver .state").contains("Delivered and verified"));
        assertEquals("opfs", receiver.evaluate("window.parleyTransfer.storage.kind"), "streams to disk, not memory");
        Number sent = (Number) sender.evaluate("[...window.parleyTransfer.senders.values()][0].stats.bytesSent");
        assertEquals(size, sent.longValue(), "no byte sent twice without a reconnect");
        screenshots(sender, receiver, "done");
    }

    /** What each person sees at this step, in target/screenshots/ (for a person to look at). */
    private static void screenshots(Page sender, Page receiver, String step) {
        receiver.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/receiver-" + step + ".png")).setFullPage(true));
        sender.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/sender-" + step + ".png")).setFullPage(true));
    }
}
