package dev.parley.transfer;

import static dev.parley.transfer.TransferPages.awaitReceiverState;
import static dev.parley.transfer.TransferPages.awaitSenderState;
import static dev.parley.transfer.TransferPages.link;
import static dev.parley.transfer.TransferPages.storedSha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.testing.IceStats;
import dev.parley.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With relay-only ICE, a transfer goes through Parley's own TURN server and still verifies. */
@Tag("browser")
class TransferRelayTest {
    private static TestServer server;
    private static TransferPages pages;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        pages = new TransferPages(server);
    }

    @AfterAll
    static void stop() {
        pages.close();
        server.close();
    }

    @Test
    void relayOnlyTransferGoesThroughTheBuiltInTurnServer(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("relayed.bin");
        Files.write(file, bytes);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        Page sender = pages.shareFiles("Ann", List.of(file), "relay=1");
        String shared = link(sender);
        String relayLink = shared.contains("relay=1") ? shared : shared.replace("/transfer#", "/transfer?relay=1#");
        Page receiver = pages.openLink(relayLink, "Bob");
        receiver.click("#accept");
        awaitReceiverState(receiver, "done");
        awaitSenderState(sender, "done");
        assertEquals(expected, storedSha256(receiver, 0), "bytes stored in the receiving browser");

        Object types = IceStats.selectedPairTypes(receiver, "[...window.parleyTransfer.sessions.values()][0].pc");
        assertEquals(List.of("relay", "relay"), types, "the data channel runs over TURN relays");
        double relayed = server.server().metrics().find("parley.turn.relayed.bytes").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertTrue(relayed > bytes.length, "Parley's TURN server carried the file: " + relayed + " bytes");
    }
}
