package dev.parley.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin page ({@code /admin}) and its API ({@code GET /admin/api/state}), both behind
 * {@link AdminAuth}; every other request goes on to the wrapped handler.
 */
final class AdminRoutes extends Handler.Wrapper {
    static final String STATE_PATH = "/admin/api/state";
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private final AdminAuth auth;
    private final AdminState state;

    AdminRoutes(AdminAuth auth, AdminState state, Handler next) {
        super(next);
        this.auth = auth;
        this.state = state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean page = path.equals("/admin") || path.equals("/admin/");
        boolean api = path.startsWith("/admin/api/");
        if (!page && !api) return super.handle(request, response, callback);
        InetAddress remote = request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getAddress() : null;
        // through a proxy: a forwarding header, or a Host that is not a loopback name (see AdminAuth)
        boolean proxied = AdminAuth.PROXY_HEADERS.stream().anyMatch(h -> request.getHeaders().get(h) != null)
                || !AdminAuth.isLoopbackHostName(request.getHeaders().get(HttpHeader.HOST));
        AdminAuth.Decision decision = page ? auth.checkPage(remote, proxied)
                : auth.checkApi(request.getHeaders().get(HttpHeader.AUTHORIZATION), remote, proxied);
        if (!decision.allowed()) {
            if (decision.status() == 401) response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"parley-admin\"");
            json(response, callback, decision.status(), error(decision.error(), decision.message()));
            return true;
        }
        if (page) return super.handle(request, response, callback);
        if (!path.equals(STATE_PATH)) {
            json(response, callback, 404, error("not-found", "the admin API has " + STATE_PATH + " only"));
        } else if (!HttpMethod.GET.is(request.getMethod())) {
            json(response, callback, 405, error("method-not-allowed", "use GET"));
        } else {
            try {
                json(response, callback, 200, state.json());
            } catch (Exception e) {
                log.warn("admin state not available: {}", e.toString());
                json(response, callback, 503, error("unavailable", "the server did not answer in time; try again"));
            }
        }
        return true;
    }

    private static String error(String code, String message) {
        return "{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static void json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
