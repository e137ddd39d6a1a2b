package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.signaling.auth.ApiKey;
import dev.parley.signaling.auth.JoinToken;
import dev.parley.signaling.auth.TokenVerifier;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --api-key}/{@code --api-secret}, {@code parley token}, and token grants over a real /ws. */
class JoinTokenServerTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final ApiKey KEY = new ApiKey("APIkey1", SECRET);
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    /** Runs {@code parley token ...}; returns stdout lines, or throws with stderr on a non-zero exit. */
    private static String[] mint(Map<String, String> env, Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TokenCommand.run(args, env, clock, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (status != 0) throw new IllegalStateException(status + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).split("\n");
    }

    private static String mint(String... args) {
        return mint(Map.of("PARLEY_API_KEY", "APIkey1", "PARLEY_API_SECRET", SECRET), Clock.systemUTC(), args)[0];
    }

    @Test
    void apiKeyComesFromFlagsEnvironmentOrYamlAndNeedsALongSecret(@TempDir Path dir) throws Exception {
        assertTrue(ConfigLoader.load(new String[0], Map.of()).apiKey().isEmpty(), "dev mode by default");
        assertEquals(KEY, ConfigLoader.load(new String[] {"--api-key", "APIkey1", "--api-secret", SECRET}, Map.of()).apiKey().orElseThrow());
        assertEquals(KEY, ConfigLoader.load(new String[0], Map.of("PARLEY_API_KEY", "APIkey1", "PARLEY_API_SECRET", SECRET))
                .apiKey().orElseThrow());
        Path yaml = dir.resolve("p.yaml");
        Files.writeString(yaml, "api-key: APIkey1\napi-secret: " + SECRET + "\n");
        assertEquals(KEY, ConfigLoader.load(new String[] {"--config", yaml.toString()}, Map.of()).apiKey().orElseThrow());

        ConfigException shortSecret = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--api-key", "k", "--api-secret", "too-short"}, Map.of()));
        assertTrue(shortSecret.getMessage().contains("--api-secret") && shortSecret.getMessage().contains("32 bytes"),
                shortSecret.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--api-secret", SECRET}, Map.of()));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--api-key", "k"}, Map.of()));
        assertTrue(ConfigLoader.helpText().contains("parley token"));
    }

    @Test
    void tokenCommandPrintsAVerifiableTokenAndALink() throws Exception {
        Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
        String[] lines = mint(Map.of(), fixed, "--room", "standup", "--identity", "alice", "--name", "Ann", "--ttl", "2h",
                "--no-publish", "--api-key", "APIkey1", "--api-secret", SECRET, "--port", "9000");
        JoinToken token = new TokenVerifier(KEY, fixed, TokenVerifier.DEFAULT_LEEWAY).verify(lines[0]);
        assertEquals(new JoinToken("alice", "Ann", "standup", true, false, false, true, NOW, NOW.plusSeconds(7200)), token);
        assertEquals("http://localhost:9000/call/?room=standup&token=" + lines[0], lines[1]);

        String room = mint(Map.of("PARLEY_API_KEY", "APIkey1", "PARLEY_API_SECRET", SECRET), fixed,
                "--identity", "bob", "--room", "r1", "--app", "room", "--url", "https://meet.example.org/")[1];
        assertTrue(room.startsWith("https://meet.example.org/room/?token=ey") && room.endsWith("#r1"), room);
        // a bare server switch takes no value: the option after it is still read
        String[] afterSwitch = mint(Map.of("PARLEY_API_KEY", "APIkey1", "PARLEY_API_SECRET", SECRET), fixed,
                "--tls-dev-cert", "--identity", "carol", "--room", "r2");
        assertEquals("carol", new TokenVerifier(KEY, fixed, TokenVerifier.DEFAULT_LEEWAY).verify(afterSwitch[0]).identity());
        IllegalStateException noKey = assertThrows(IllegalStateException.class,
                () -> mint(Map.of(), fixed, "--identity", "a", "--room", "r"));
        assertTrue(noKey.getMessage().contains("--api-key"), noKey.getMessage());
        assertThrows(IllegalStateException.class, () -> mint("--room", "r"), "identity is required");
    }

    @Test
    void transferTokensNameAShareCodeAndGiveSenderAndReceiverLinks() throws Exception {
        Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
        Map<String, String> env = Map.of("PARLEY_API_KEY", "APIkey1", "PARLEY_API_SECRET", SECRET);
        TokenVerifier verifier = new TokenVerifier(KEY, fixed, TokenVerifier.DEFAULT_LEEWAY);

        String[] sender = mint(env, fixed, "--identity", "alice", "--app", "transfer", "--url", "https://files.example.org");
        String code = verifier.verify(sender[0]).room();
        assertTrue(code.matches("[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}"), "a drawn share code: " + code);
        assertEquals("https://files.example.org/transfer/?token=" + sender[0], sender[1], "the sender's page joins the token's room");

        String[] receiver = mint(env, fixed, "--identity", "bob", "--app", "transfer", "--receiver", "--room", "7qx2z-k4mlp");
        assertEquals("7QX2Z-K4M1P", verifier.verify(receiver[0]).room(), "the code as the app reads it (case, l → 1)");
        assertEquals("http://localhost:8080/transfer/?token=" + receiver[0] + "#7QX2Z-K4M1P", receiver[1]);

        for (String[] bad : new String[][] {{"--app", "transfer", "--room", "standup"}, {"--app", "transfer", "--receiver"},
                {"--app", "transfer", "--create"}, {"--app", "room", "--room", "r", "--receiver"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--identity", "x"), java.util.Arrays.stream(bad))
                    .toArray(String[]::new);
            assertThrows(IllegalStateException.class, () -> mint(env, fixed, args), String.join(" ", bad));
        }
    }

    private static String outcome(JsonNode answer) {
        return answer.path("type").asText().equals("error") ? answer.path("code").asText() : answer.path("type").asText();
    }

    private static JsonNode join(WsClient ws, String room, String token) {
        return ws.request(WsClient.msg("join", "room", room, "token", token));
    }

    @Test
    void grantsDecideWhoMayPublishAndSubscribe() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withApiKey(Optional.of(KEY)));
                WsClient viewer = WsClient.connect(server.wsUri());
                WsClient listener = WsClient.connect(server.wsUri());
                WsClient stranger = WsClient.connect(server.wsUri())) {
            assertEquals("token-required", outcome(stranger.request(WsClient.msg("join", "room", "standup", "name", "Eve"))));
            assertEquals("token-room-mismatch", outcome(join(stranger, "other", mint("--identity", "eve", "--room", "standup"))));

            JsonNode joined = join(viewer, "standup", mint("--identity", "viewer-1", "--room", "standup", "--no-publish"));
            assertEquals("viewer-1", joined.path("result").path("identity").asText(), joined.toString());
            assertEquals("forbidden", outcome(viewer.request(WsClient.msg("sfu-publish", "sdp", "v=0\r\n"))));
            assertEquals("response", outcome(viewer.request(WsClient.msg("sfu-join"))), "a viewer may still receive");

            assertEquals("response", outcome(join(listener, "standup", mint("--identity", "l", "--room", "standup", "--no-subscribe"))));
            assertEquals("forbidden", outcome(listener.request(WsClient.msg("sfu-join"))));

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.httpUrl("/metrics"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("parley_signaling_errors_total{code=\"token-required\"} 1.0"), "token-required is counted");
            assertTrue(metrics.contains("parley_signaling_errors_total{code=\"forbidden\"} 2.0"), "forbidden is counted");
        }
    }
}
