package dev.parley.transfer;

import static dev.parley.transfer.TransferPages.awaitReceiverState;
import static dev.parley.transfer.TransferPages.awaitSenderState;
import static dev.parley.transfer.TransferPages.randomFile;
import static dev.parley.transfer.TransferPages.sha256;
import static dev.parley.transfer.TransferPages.storedSha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.parley.signaling.auth.ApiKey;
import dev.parley.signaling.auth.JoinToken;
import dev.parley.signaling.auth.TokenMinter;
import dev.parley.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer app on a server that requires join tokens, with the links {@code parley token --app
 * transfer} prints (JoinTokenServerTest checks their shape): the sender's {@code /transfer/?token=…}
 * shares in the token's share-code room, a receiver's {@code /transfer/?token=…#CODE} gets the file.
 */
@Tag("browser")
class TransferTokenBrowserTest {
    private static final ApiKey KEY = new ApiKey("APIkey1", "0123456789abcdef0123456789abcdef");
    private static final String CODE = "7QX2Z-K4M1P";
    private static TestServer server;
    private static TransferPages pages;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withApiKey(Optional.of(KEY)));
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

    private static String token(String identity, String name) {
        JoinToken token = JoinToken.forRoom(identity, name, CODE, Instant.now(), Duration.ofMinutes(10));
        return "token=" + URLEncoder.encode(new TokenMinter(KEY).mint(token), StandardCharsets.UTF_8);
    }

    @Test
    void senderAndReceiverLinksWithTokensDeliverAFile(@TempDir Path dir) throws Exception {
        Path file = randomFile(dir, "notes.bin", 256 * 1024, 7);
        Page sender = pages.shareFiles("typed", List.of(file), token("alice", "Alice"));
        assertEquals(CODE, sender.textContent("#share-code"), "the sender shares the token's code");

        Page receiver = pages.openLink(server.httpUrl("/transfer/?" + token("bob", "Bob") + "#" + CODE), "typed too");
        assertTrue(receiver.textContent("#offer-title").contains("Alice"), "the sender's name comes from its token");
        receiver.click("#accept");
        awaitReceiverState(receiver, "done");
        awaitSenderState(sender, "done");
        assertEquals(sha256(file), storedSha256(receiver, 0), "the file arrived whole");
        assertTrue(sender.textContent(".receiver").contains("Bob"), "the sender sees the receiver's token name");
    }
}
