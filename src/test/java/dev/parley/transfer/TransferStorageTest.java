package dev.parley.transfer;

import static dev.parley.transfer.TransferPages.awaitNoStoredFiles;
import static dev.parley.transfer.TransferPages.awaitReceiverState;
import static dev.parley.transfer.TransferPages.awaitSenderState;
import static dev.parley.transfer.TransferPages.link;
import static dev.parley.transfer.TransferPages.randomFile;
import static dev.parley.transfer.TransferPages.storedFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
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

/** The receiver's browser storage (OPFS): running out of it, and what is left in it afterwards. */
@Tag("browser")
class TransferStorageTest {
    private static final long QUOTA = 8L * 1024 * 1024;
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
    void storageQuotaSmallerThanTheFileFailsWithAClearMessageOnBothSidesAndKeepsNothing(@TempDir Path dir) throws Exception {
        // An off-the-record context: Chrome reports the refused writes with nonsense byte counts.
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "too-big.bin", 5 * QUOTA, 21)));
        quotaRunsOut(sender, pages.openLink(link(sender), "Bob", TransferStorageTest::smallQuota), "receiver-quota");
    }

    @Test
    void storageQuotaRunningOutInAnOnDiskProfileFailsTheSameWay(@TempDir Path dir) throws Exception {
        // A person's profile: there Chrome throws QuotaExceededError.
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "too-big.bin", 5 * QUOTA, 24)));
        quotaRunsOut(sender, pages.openLinkWithProfile(link(sender), "Bob", TransferStorageTest::smallQuota), "receiver-quota-profile");
    }

    /** DevTools gives the page's origin a quota far smaller than the file (as a full disk would). */
    private static void smallQuota(Page page) {
        JsonObject quota = new JsonObject();
        quota.addProperty("origin", (String) page.evaluate("location.origin"));
        quota.addProperty("quotaSize", (double) QUOTA);
        page.context().newCDPSession(page).send("Storage.overrideQuotaForOrigin", quota);
    }

    private static void quotaRunsOut(Page sender, Page receiver, String screenshot) {
        // (Headless test contexts report a fixed 10 GiB in navigator.storage.estimate() whatever the
        // override, so the warning shown before Accept cannot be checked here; the writes do fail.)
        receiver.click("#accept");

        try {
            awaitReceiverState(receiver, "failed");
            awaitSenderState(sender, "failed");
        } catch (RuntimeException e) {
            throw new AssertionError("no failure shown; receiver: " + TransferPages.diagnose(receiver) + " " + receiver.textContent("#status")
                    + " ledger " + receiver.evaluate("JSON.stringify(window.parleyTransfer.receiver.ledger)")
                    + "; sender: " + TransferPages.diagnose(sender), e);
        }
        String status = receiver.textContent("#status");
        assertTrue(status.contains("not enough space"), status);
        assertTrue(sender.textContent(".receiver .state").contains("not enough space"), sender.textContent(".receiver .state"));
        assertEquals("failed", receiver.getAttribute(".file-state", "data-state"));
        assertEquals("Not received", receiver.textContent(".file-state"));
        assertEquals(0, receiver.locator(".save-link").count(), "nothing offered for saving");
        assertEquals(0, ((Number) receiver.evaluate("window.parleyTransfer.receiver.results.size")).intValue());
        assertTrue(sender.locator(".receiver .file-state[data-state='verified']").count() == 0, "the sender shows nothing delivered");
        awaitNoStoredFiles(receiver);
        receiver.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/" + screenshot + ".png")).setFullPage(true));
    }

    @Test
    void finishedFilesStayWhileTheirPageIsOpenAndAreRemovedAtTheNextStartAfterIt(@TempDir Path dir) throws Exception {
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "small.bin", 300_000, 22)));
        Page receiver = pages.openLink(link(sender), "Bob");
        receiver.click("#accept");
        awaitReceiverState(receiver, "done");
        List<String> held = storedFiles(receiver);
        assertEquals(1, held.size(), "the received file is in OPFS for the Save link: " + held);

        // Another tab of the same browser starts the app: the open page's file is left alone.
        Page second = receiver.context().newPage();
        second.navigate(server.httpUrl("/transfer"));
        assertEquals(List.of(), second.evaluate("window.parleyTransfer.cleanup"));
        assertEquals(held, storedFiles(second));
        second.close();

        // Once the receiving page is gone, the next start of the app removes it.
        Page third = receiver.context().newPage();
        receiver.close();
        third.navigate(server.httpUrl("/transfer"));
        assertEquals(held, third.evaluate("window.parleyTransfer.cleanup"));
        assertEquals(List.of(), storedFiles(third));
    }

    @Test
    void atStartPartialFilesNobodyCanResumeAreRemovedAndResumableOnesKept(@TempDir Path dir) throws Exception {
        Page sender = pages.shareFiles("Ann", List.of(randomFile(dir, "unused.bin", 1000, 23)));
        Page page = sender.context().newPage();
        page.navigate(server.httpUrl("/transfer"));
        page.evaluate("window.parleyTransfer.cleanup");
        // Leftovers of earlier pages: a partial file with a fresh ledger (a reload could resume it),
        // one whose ledger is two days old, and one with no ledger at all.
        page.evaluate("""
                async () => {
                  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('parley-transfer', { create: true });
                  for (const name of ['Tfresh.fresh001.0', 'Tstale.stale001.0', 'Torphan.orphan01.0']) {
                    const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
                    await writable.write(new Uint8Array(1000));
                    await writable.close();
                  }
                  const ledger = (keyPrefix, savedAt) => JSON.stringify({ transferId: 'T', keyPrefix, savedAt, files: [] });
                  localStorage.setItem('parley.transfer.ledger.FRESH', ledger('fresh001', Date.now() - 60_000));
                  localStorage.setItem('parley.transfer.ledger.STALE', ledger('stale001', Date.now() - 48 * 3600_000));
                  return true;
                }""");
        Page next = page.context().newPage();
        next.navigate(server.httpUrl("/transfer"));
        assertEquals(List.of("Torphan.orphan01.0", "Tstale.stale001.0"), next.evaluate("window.parleyTransfer.cleanup"));
        assertEquals(List.of("Tfresh.fresh001.0"), storedFiles(next));
        assertEquals(List.of("parley.transfer.ledger.FRESH"),
                next.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('parley.transfer.ledger.'))"));
    }
}
