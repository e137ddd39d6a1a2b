package dev.parley.server;

import dev.parley.signaling.SignalingService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Plain HTTP endpoints: health, readiness, Prometheus metrics and the static web assets. */
final class HttpRoutes extends Handler.Abstract {
    // Blocking-capable: /metrics scrapes and --web-root file reads must not run on an I/O thread.
    private final PrometheusMeterRegistry metrics;
    private final SignalingService signaling;
    private final StaticAssets assets;
    private final BooleanSupplier started;

    HttpRoutes(PrometheusMeterRegistry metrics, SignalingService signaling, StaticAssets assets, BooleanSupplier started) {
        this.metrics = metrics;
        this.signaling = signaling;
        this.assets = assets;
        this.started = started;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        switch (path) {
            case "/healthz" -> text(response, callback, HttpStatus.OK_200, "ok\n", "text/plain; charset=utf-8");
            case "/readyz" -> {
                boolean ready = started.getAsBoolean() && !signaling.isShuttingDown();
                text(response, callback, ready ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                        ready ? "ready\n" : "not ready\n", "text/plain; charset=utf-8");
            }
            case "/metrics" -> text(response, callback, HttpStatus.OK_200, metrics.scrape(),
                    "text/plain; version=0.0.4; charset=utf-8");
            default -> {
                Optional<StaticAssets.Asset> asset = assets.find(path);
                if (asset.isEmpty()) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                } else {
                    response.setStatus(HttpStatus.OK_200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.get().contentType());
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                    response.write(true, HttpMethod.HEAD.is(method) ? ByteBuffer.allocate(0) : asset.get().body().duplicate(), callback);
                }
            }
        }
        return true;
    }

    private static void text(Response response, Callback callback, int status, String body, String type) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
