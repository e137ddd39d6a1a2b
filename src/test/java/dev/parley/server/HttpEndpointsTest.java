package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessAnswer() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        assertEquals("ready\n", get("/readyz").body());
    }

    @Test
    void metricsAreInPrometheusFormat() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(metrics.body().contains("# TYPE parley_signaling_sockets gauge"));
        assertTrue(metrics.body().contains("parley_signaling_errors_total{code=\"room-full\"}"));
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"));
    }

    @Test
    void landingPageLinksEveryApp() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (String app : StaticAssets.APPS) {
            assertTrue(page.body().contains("href=\"/" + app + "\""), app);
            assertEquals(200, get("/" + app).statusCode(), app);
        }
    }

    @Test
    void sdkIsServedAsJavaScriptModules() throws Exception {
        HttpResponse<String> sdk = get("/sdk/signaling.js");
        assertEquals(200, sdk.statusCode());
        assertTrue(sdk.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(sdk.body().contains("export class SignalingClient"));
    }

    @Test
    void unknownAndEscapingPathsAre404() throws Exception {
        assertEquals(404, get("/nope").statusCode());
        assertEquals(404, get("/sdk/missing.js").statusCode());
        int encoded = get("/sdk/..%2F..%2Flogback.xml").statusCode();
        assertTrue(encoded == 400 || encoded == 404, "encoded traversal refused, got " + encoded);
        assertEquals(404, get("/logback.xml").statusCode());
        assertEquals(null, StaticAssets.resourcePath("/sdk/../../etc/passwd"));
    }

    @Test
    void writesAreRefused() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpUrl("/")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void clientAddressesAreWrittenTheShortWay() {
        org.junit.jupiter.api.Assertions.assertEquals("127.0.0.1:5000", ParleyServer.socketAddress("127.0.0.1", 5000));
        org.junit.jupiter.api.Assertions.assertEquals("[::1]:5000", ParleyServer.socketAddress("0:0:0:0:0:0:0:1", 5000));
        org.junit.jupiter.api.Assertions.assertEquals("[::1]:5000", ParleyServer.socketAddress("[0:0:0:0:0:0:0:1]", 5000));
        org.junit.jupiter.api.Assertions.assertEquals("[2001:db8::1]:1", ParleyServer.socketAddress("2001:0db8:0:0:0:0:0:1", 1));
        org.junit.jupiter.api.Assertions.assertEquals("[1::]:1", ParleyServer.socketAddress("1:0:0:0:0:0:0:0", 1));
        org.junit.jupiter.api.Assertions.assertEquals("[fe80::1:0:0:0]:1", ParleyServer.socketAddress("fe80:0:0:0:1:0:0:0", 1),
                "the first of two equal runs (RFC 5952 §4.2.3)");
        org.junit.jupiter.api.Assertions.assertEquals("[2001:db8:0:1:1:1:1:1]:1", ParleyServer.socketAddress("2001:db8:0:1:1:1:1:1", 1),
                "one zero group stays");
    }
}
