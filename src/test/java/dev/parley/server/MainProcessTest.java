package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Parley run as an operator runs it: {@code Main} in its own JVM. What only a process shows: the
 * exit status after SIGTERM and after bad flags, and what {@code --help} prints.
 */
class MainProcessTest {

    @Test
    void sigtermTellsJoinedClientsClosesTheirSocketsWith1001AndExitsWith143() {
        try (ParleyProcess parley = ParleyProcess.start();
             WsClient ann = WsClient.connect(parley.wsUri()); WsClient bob = WsClient.connect(parley.wsUri())) {
            String room = ann.join(null, "Ann").get("room").asText();
            bob.join(room, "Bob");
            ann.next("peer-joined");

            int status = parley.terminate();

            for (WsClient client : new WsClient[] {ann, bob}) {
                JsonNode bye = client.next(m -> m.path("type").asText().equals("shutdown"), Duration.ofSeconds(10));
                assertEquals("server shutting down", bye.path("reason").asText());
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(10)), "closed as going away, after the shutdown message");
            }
            assertEquals(143, status, "128 + SIGTERM, as docs/operations.md tells systemd users; output:\n" + parley.output());
            assertTrue(parley.output().contains("msg=\"stopped\""), "the shutdown hook ran to its end:\n" + parley.output());
        }
    }

    @Test
    void helpPrintsEveryOptionWithItsEnvironmentVariableAndExitsZero() {
        ParleyProcess.Outcome help = ParleyProcess.run("--help");
        assertEquals(0, help.exitStatus(), help.stderr());
        for (Option option : ConfigLoader.OPTIONS) {
            assertTrue(help.stdout().contains(option.flag() + " <value>"), option.flag() + " in:\n" + help.stdout());
            assertTrue(help.stdout().contains("env " + option.envVar() + ","), option.envVar());
        }
        assertTrue(help.stdout().contains("--help"), help.stdout());
        assertFalse(help.stdout().contains("Parley listening"), "--help starts no server");
    }

    @Test
    void anUnknownFlagExitsWithStatus2AndOneLineNamingIt() {
        ParleyProcess.Outcome bad = ParleyProcess.run("--prot", "9000");
        assertEquals(2, bad.exitStatus(), bad.stdout() + bad.stderr());
        assertEquals("parley: unknown option --prot (see --help)", bad.stderr().strip());
        assertTrue(bad.stdout().isEmpty(), "nothing started: " + bad.stdout());
    }

    @Test
    void aBadValueExitsWithStatus2AndOneLineNamingTheFlag() {
        ParleyProcess.Outcome bad = ParleyProcess.run("--port", "eighty");
        assertEquals(2, bad.exitStatus(), bad.stdout() + bad.stderr());
        String message = bad.stderr().strip();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.startsWith("parley: ") && message.contains("--port") && message.contains("eighty"), message);
        assertTrue(bad.stdout().isEmpty(), "nothing started: " + bad.stdout());
    }
}
