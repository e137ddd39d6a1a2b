package dev.parley.server;

import static dev.parley.testing.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/api/state} and the admin page: who may see them, and what the state holds. */
class AdminApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "test-admin-token-0123456789";

    private static HttpResponse<String> get(TestServer server, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.httpUrl(path)));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.toString());
        return WsClient.JSON.readTree(response.body());
    }

    @Test
    void withATokenTheApiAnswersOnlyTheRightBearer() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withAdminToken(Optional.of(TOKEN)))) {
            HttpResponse<String> none = get(server, "/admin/api/state");
            assertEquals(401, none.statusCode());
            assertEquals("unauthorized", json(none).get("error").asText());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, get(server, "/admin/api/state", "Authorization", "Bearer wrong-token-0123456789").statusCode());
            assertEquals(401, get(server, "/admin/api/state", "Authorization", "Basic " + TOKEN).statusCode());

            HttpResponse<String> ok = get(server, "/admin/api/state", "Authorization", "Bearer " + TOKEN);
            assertEquals(200, ok.statusCode());
            JsonNode state = json(ok);
            assertTrue(state.get("rooms").isArray());
            assertTrue(state.get("server").has("turnAllocations"));
            assertTrue(state.get("server").get("sfu").has("forwardedPps"));
            // The page itself is served to anyone with a token configured: it asks for the token.
            assertEquals(200, get(server, "/admin").statusCode());
            assertEquals(404, get(server, "/admin/api/other", "Authorization", "Bearer " + TOKEN).statusCode());
        }
    }

    @Test
    void withoutATokenLoopbackClientsGetTheStateButProxiedOnesDoNot() throws Exception {
        try (TestServer server = TestServer.start(); WsClient a = WsClient.connect(server.wsUri()); WsClient b = WsClient.connect(server.wsUri())) {
            a.next("welcome");
            b.next("welcome");
            JsonNode ann = a.join(null, "Ann");
            b.join(ann.get("room").asText(), "Bob");
            a.request(msg("stats", "connections", List.of(Map.of("kind", "p2p", "local", "host", "remote", "host", "inKbps", 42))));

            JsonNode state = json(get(server, "/admin/api/state"));
            assertEquals(1, state.get("rooms").size());
            JsonNode room = state.get("rooms").get(0);
            assertEquals(ann.get("room").asText(), room.get("id").asText());
            assertEquals("p2p", room.get("kind").asText());
            assertEquals(2, room.get("peers").size());
            JsonNode annState = room.get("peers").get(0);
            assertEquals("Ann", annState.get("name").asText());
            assertEquals(42.0, annState.get("stats").get("connections").get(0).get("inKbps").asDouble());
            assertTrue(annState.get("remote").asText().startsWith("127.0.0.1:"));
            assertFalse(room.get("peers").get(1).has("stats"), "Bob sent no report");
            assertEquals(2, state.get("server").get("sessions").asInt());

            assertTrue(annState.get("userAgent").asText().startsWith("Java-http-client"), annState.toString());

            // A dropped socket: the peer stays listed as away (resume grace), still saying who it was.
            b.abort();
            JsonNode bob = awaitPeer(server, "Bob", p -> p.get("away").asBoolean());
            assertTrue(bob.get("userAgent").asText().startsWith("Java-http-client"), bob.toString());

            assertEquals(200, get(server, "/admin").statusCode());
            HttpResponse<String> proxied = get(server, "/admin/api/state", "X-Forwarded-For", "203.0.113.9");
            assertEquals(403, proxied.statusCode());
            assertTrue(json(proxied).get("message").asText().contains("--admin-token"));
            assertEquals(403, get(server, "/admin", "Forwarded", "for=203.0.113.9").statusCode());
            // nginx's plain proxy_pass adds no forwarding header: the public Host still gives it away
            assertEquals(403, statusWithHost(server, "/admin/api/state", "parley.example.org"));
            assertEquals(403, statusWithHost(server, "/admin", "parley.example.org:443"));
            assertEquals(200, statusWithHost(server, "/admin/api/state", "localhost:" + server.port()));
            assertEquals(200, statusWithHost(server, "/admin/api/state", "[::1]:" + server.port()));
        }
    }

    /** A raw HTTP/1.1 GET with a chosen Host header (the JDK client will not send a foreign one). */
    private static int statusWithHost(TestServer server, String path, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** Polls the state (bounded) until the named peer matches. */
    private static JsonNode awaitPeer(TestServer server, String name, java.util.function.Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode room : json(get(server, "/admin/api/state")).get("rooms")) {
                for (JsonNode peer : room.get("peers")) {
                    if (peer.get("name").asText().equals(name)) last = peer;
                }
            }
            if (last != null && wanted.test(last)) return last;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never matched; last seen " + last);
    }

    @Test
    void theLoopbackRuleAdmitsOnlyDirectLoopbackPeers() throws Exception {
        assertTrue(AdminAuth.isLocalClient(InetAddress.getByName("127.0.0.1"), false));
        assertTrue(AdminAuth.isLocalClient(InetAddress.getByName("127.10.0.1"), false));
        assertTrue(AdminAuth.isLocalClient(InetAddress.getByName("::1"), false));
        assertFalse(AdminAuth.isLocalClient(InetAddress.getByName("127.0.0.1"), true), "through a reverse proxy");
        assertFalse(AdminAuth.isLocalClient(InetAddress.getByName("192.168.1.20"), false));
        assertFalse(AdminAuth.isLocalClient(InetAddress.getByName("10.0.0.1"), false));
        assertFalse(AdminAuth.isLocalClient(InetAddress.getByName("::ffff:203.0.113.9"), false));
        assertFalse(AdminAuth.isLocalClient(null, false));
        for (String local : List.of("localhost", "localhost:8080", "LOCALHOST.", "127.0.0.1:8080", "127.1.2.3", "[::1]", "[::1]:8080")) {
            assertTrue(AdminAuth.isLoopbackHostName(local), local);
        }
        for (String foreign : List.of("parley.example.org", "192.168.1.20:8080", "localhost.example.org", "127.0.0.1.nip.io",
                "[::2]", "", "[::1")) {
            assertFalse(AdminAuth.isLoopbackHostName(foreign), foreign);
        }
        assertFalse(AdminAuth.isLoopbackHostName(null));

        AdminAuth open = new AdminAuth(Optional.empty());
        assertEquals(403, open.checkApi(null, InetAddress.getByName("192.168.1.20"), false).status());
        assertEquals(403, open.checkPage(InetAddress.getByName("192.168.1.20"), false).status());
        AdminAuth guarded = new AdminAuth(Optional.of(TOKEN));
        assertEquals(401, guarded.checkApi(null, InetAddress.getByName("127.0.0.1"), false).status(),
                "with a token, loopback is no excuse");
        assertTrue(guarded.checkApi("bearer " + TOKEN, InetAddress.getByName("192.168.1.20"), true).allowed());
    }

    @Test
    void aShortAdminTokenIsRefusedAtStartup() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--admin-token", "short"}, Map.of()));
        assertTrue(e.getMessage().contains("--admin-token"), e.getMessage());
        assertEquals(Optional.of(TOKEN), ConfigLoader.load(new String[0], Map.of("PARLEY_ADMIN_TOKEN", TOKEN)).adminToken());
    }
}
