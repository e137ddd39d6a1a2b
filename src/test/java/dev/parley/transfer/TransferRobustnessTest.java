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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each side sees when files are many, odd, declined, cancelled, or the sender goes away. */
@Tag("browser")
class TransferRobustnessTest {
    private static final long BIG = 80L * 1024 * 1024;
    private static TestServer server;
    private static TransferPages pages;

    @BeforeAll
    static void start() {
        // A short resume grace, so a sender that is gone is reported gone within the test.
        server = TestServer.withSignaling(s -> s.withResume(Duration.ofSeconds(3), 1000));
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
    void manyFilesWithAnEmptyOneUnicodeAndDuplicateNamesAllArriveVerified(@TempDir Path dir) throws Exception {
        Path a = randomFile(dir, "a.bin", 3_000_123, 1);
        Path empty = Files.createFile(dir.resolve("empty.dat"));
        Path unicode = randomFile(dir, "Grüße 日本 🎉.txt", 70_000, 2);
        Path first = randomFile(Files.createDirectory(dir.resolve("one")), "same.txt", 1000, 3);
        Path second = randomFile(Files.createDirectory(dir.resolve("two")), "same.txt", 2000, 4);
        List<Path> files = List.of(a, empty, unicode, first, second);

        Page sender = pages.shareFiles("Ann", files);
        Page receiver = pages.openLink(link(sender), "Bob");
        assertTrue(receiver.textContent("#offer-title").contains("5 files"));
        List<String> names = receiver.locator("#offered-files .name").allTextContents();
        assertEquals(List.of("a.bin", "empty.dat", "Grüße 日本 🎉.txt", "same.txt", "same (1).txt"), names);
        receiver.click("#accept");

        awaitReceiverState(receiver, "done");
        awaitSenderState(sender, "done");
        assertTrue(receiver.textContent("#status").contains("All files received and verified"));
        for (int i = 0; i < files.size(); i++) {
            String expected = sha256(files.get(i));
            assertEquals(expected, receiver.locator(".file-state").nth(i).getAttribute("data-sha256"), names.get(i));
            assertEquals(expected, storedSha256(receiver, i), names.get(i));
        }
        assertEquals("same (1).txt", receiver.locator(".save-link").nth(4).getAttribute("download"));
        assertEquals(5, sender.locator(".receiver .file-state[data-state='verified']").count());
        assertTrue(receiver.isVisible("#save-all"));
        receiver.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/receiver-many.png")).setFullPage(true));
    }

    @Test
    void receiverDeclinesAndTheSenderIsTold(@TempDir Path dir) throws Exception {
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "offer.bin", 10_000, 5)));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.click("#decline");
        awaitReceiverState(receiver, "declined");
        awaitSenderState(sender, "declined");
        assertTrue(receiver.textContent("#status").contains("You declined"));
        assertTrue(sender.textContent(".receiver .state").startsWith("Declined"));
        assertTrue(receiver.isHidden("#accept"));
        assertEquals(List.of(), TransferPages.storedFiles(receiver), "nothing written for a declined offer");
    }

    @Test
    void receiverCancelsMidwayAndNothingIsLeftLookingComplete(@TempDir Path dir) throws Exception {
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "big.bin", BIG, 6)));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.click("#accept");
        awaitSomeBytes(receiver);
        receiver.click("#cancel");
        awaitReceiverState(receiver, "cancelled");
        awaitSenderState(sender, "cancelled");
        assertTrue(sender.textContent(".receiver .state").contains("cancelled by the receiver"));
        assertTrue(receiver.textContent("#status").contains("you cancelled"));
        assertEquals("failed", receiver.getAttribute(".file-state", "data-state"));
        assertEquals(0, ((Number) receiver.evaluate("window.parleyTransfer.receiver.results.size")).intValue());
        assertEquals(0, receiver.locator(".save-link").count(), "no file offered for saving");
        TransferPages.awaitNoStoredFiles(receiver); // the partial file is deleted from the browser's storage
    }

    @Test
    void senderCancelsMidwayAndTheReceiverIsTold(@TempDir Path dir) throws Exception {
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "big.bin", BIG, 7)));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.click("#accept");
        awaitSomeBytes(receiver);
        sender.click(".receiver .cancel-receiver");
        awaitReceiverState(receiver, "cancelled");
        awaitSenderState(sender, "cancelled");
        assertTrue(receiver.textContent("#status").contains("the sender cancelled"), receiver.textContent("#status"));
        assertEquals(0, receiver.locator(".save-link").count());
        TransferPages.awaitNoStoredFiles(receiver);
    }

    @Test
    void senderLeavingMidwayIsReportedAsAFailedTransfer(@TempDir Path dir) throws Exception {
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "big.bin", BIG, 8)));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.click("#accept");
        awaitSomeBytes(receiver);
        sender.close();
        awaitReceiverState(receiver, "failed");
        assertTrue(receiver.textContent("#status").contains("the sender left"), receiver.textContent("#status"));
        assertEquals(0, receiver.locator(".save-link").count());
        assertEquals(0, ((Number) receiver.evaluate("window.parleyTransfer.receiver.results.size")).intValue());
    }

    @Test
    void twoReceiversOnOneLinkBothGetTheFiles(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "shared.bin", 8_000_000, 9);
        String expected = sha256(file);
        Page sender = pages.shareFiles("Ann", List.of(file));
        Page bob = pages.openLink(link(sender), "Bob");
        Page cy = pages.openLink(link(sender), "Cy");
        bob.click("#accept");
        cy.click("#accept");
        awaitReceiverState(bob, "done");
        awaitReceiverState(cy, "done");
        sender.waitForFunction("document.querySelectorAll(\".receiver[data-state='done']\").length === 2");
        assertEquals(expected, bob.getAttribute(".file-state", "data-sha256"));
        assertEquals(expected, cy.getAttribute(".file-state", "data-sha256"));
        assertEquals(List.of("Bob", "Cy"), sender.locator(".receiver .peer-name").allTextContents());
        sender.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/sender-two.png")).setFullPage(true));
    }

    private static void awaitSomeBytes(Page receiver) {
        receiver.waitForFunction("window.parleyTransfer.receiver.stats.bytesReceived > 2 * 1024 * 1024", null,
                new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(10));
    }
}
