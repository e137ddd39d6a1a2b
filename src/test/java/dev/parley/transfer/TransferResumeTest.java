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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's connection is killed mid-transfer (its RTCPeerConnection closed and its signaling
 * socket dropped), or its tab is reloaded; the transfer continues on a new connection from where
 * it stood (after a reload: from the last checkpoint in OPFS).
 */
@Tag("browser")
class TransferResumeTest {
    private static final long SIZE = 60L * 1024 * 1024;
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
    @SuppressWarnings("unchecked")
    void transferKilledAtARandomPointResumesAndFinishesByteIdenticalResendingLessThanTheFile(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "big.bin", SIZE, 7);
        String expected = sha256(file);
        Page sender = pages.shareFiles("Ann", List.of(file));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.click("#accept");

        long killAt = ThreadLocalRandom.current().nextLong(SIZE / 5, SIZE * 7 / 10);
        receiver.waitForFunction("at => window.parleyTransfer.receiver.stats.bytesReceived >= at", (double) killAt,
                new Page.WaitForFunctionOptions().setTimeout(TransferPages.LONG_WAIT).setPollingInterval(10));
        receiver.evaluate("""
                () => {
                  const session = [...window.parleyTransfer.sessions.values()][0];
                  session.pc.close();                       // the media path dies…
                  window.parleyTransfer.client.dropSocket(); // …and so does the signaling socket
                  return window.parleyTransfer.receiver.stats.bytesReceived;
                }""");

        awaitBothDoneAndVerified(sender, receiver, expected, "the kill");

        Map<String, Object> stats = (Map<String, Object>) sender.evaluate(
                "() => { const s = [...window.parleyTransfer.senders.values()][0].stats; return { sent: s.bytesSent, resumes: s.resumes, from: s.resumedFrom[0][0].offset }; }");
        long sent = ((Number) stats.get("sent")).longValue();
        long resumedFrom = ((Number) stats.get("from")).longValue();
        assertTrue(((Number) stats.get("resumes")).intValue() >= 1, "the sender was asked to resume");
        assertTrue(resumedFrom > 0, "resumed past the start, from " + resumedFrom);
        assertTrue(sent < 2 * SIZE, "resent less than the whole file: sent " + sent + " for " + SIZE);
        assertTrue(sent >= SIZE, "every byte was sent at least once");
        assertTrue(((Number) receiver.evaluate("window.parleyTransfer.receiver.stats.resumes")).intValue() >= 1);
        assertTrue(((Number) receiver.evaluate("[...window.parleyTransfer.sessions.values()][0].generation")).intValue() >= 2,
                "a new connection carried the rest");
    }

    @Test
    @SuppressWarnings("unchecked")
    void receiverTabReloadedMidTransferContinuesFromItsLastCheckpointAndFinishesByteIdentical(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "reload.bin", SIZE, 11);
        String expected = sha256(file);
        Page sender = pages.shareFiles("Ann", List.of(file));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.onDialog(dialog -> dialog.accept()); // "Leave site?" while receiving: yes
        receiver.click("#accept");

        // Reload somewhere after the first checkpoint (every 16 MiB) and before the end.
        long reloadAt = ThreadLocalRandom.current().nextLong(SIZE * 3 / 10, SIZE * 7 / 10);
        receiver.waitForFunction("""
                at => { const r = window.parleyTransfer.receiver;
                  return r.stats.bytesReceived >= at && (r.ledger.file(0).checkpoint?.offset ?? 0) > 0; }""", (double) reloadAt,
                new Page.WaitForFunctionOptions().setTimeout(TransferPages.LONG_WAIT).setPollingInterval(10));
        receiver.reload();

        awaitBothDoneAndVerified(sender, receiver, expected, "the reload");
        long receivedAfterReload = ((Number) receiver.evaluate("window.parleyTransfer.receiver.stats.bytesReceived")).longValue();
        assertTrue(receivedAfterReload > 0 && receivedAfterReload < SIZE,
                "the reloaded page received only the rest: " + receivedAfterReload + " of " + SIZE);

        assertEquals(1, sender.locator(".receiver").count(), "the reloaded receiver took over its card");
        Map<String, Object> stats = (Map<String, Object>) sender.evaluate(
                "() => { const s = [...window.parleyTransfer.senders.values()][0].stats; return { sent: s.bytesSent, from: s.resumedFrom[0][0].offset }; }");
        long resumedFrom = ((Number) stats.get("from")).longValue();
        long resent = ((Number) stats.get("sent")).longValue();
        assertTrue(resumedFrom > 0, "resumed past the start, from " + resumedFrom);
        assertTrue(resent < SIZE, "bytes resent " + resent + " < file size " + SIZE);
    }

    /** Both sides finish; the receiver's hash, the bytes it stores and both progress figures are right. */
    private static void awaitBothDoneAndVerified(Page sender, Page receiver, String expected, String after) {
        try {
            awaitReceiverState(receiver, "done");
            awaitSenderState(sender, "done");
        } catch (RuntimeException e) {
            throw new AssertionError("did not finish after " + after + "; receiver: " + TransferPages.diagnose(receiver)
                    + "; sender: " + TransferPages.diagnose(sender), e);
        }
        assertEquals(expected, receiver.getAttribute(".file-state", "data-sha256"));
        assertEquals(expected, storedSha256(receiver, 0), "stored bytes identical to the original");
        assertEquals("100", receiver.getAttribute("#total-progress", "data-percent"));
        assertEquals("100", sender.getAttribute(".receiver .figures", "data-percent"));
    }
}
