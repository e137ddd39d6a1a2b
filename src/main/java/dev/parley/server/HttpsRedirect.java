package dev.parley.server;

import java.util.Set;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * With HTTPS on, plain HTTP answers probes and scrapes itself (/healthz, /readyz, /metrics need no
 * certificate) and sends everything else, /ws included, to the same host and path on the HTTPS
 * port. 307, not 308: a browser must not remember the redirect once TLS is turned off again.
 */
final class HttpsRedirect extends Handler.Wrapper {
    private static final Set<String> SERVED_IN_PLAIN = Set.of("/healthz", "/readyz", "/metrics");

    private final IntSupplier httpsPort;

    HttpsRedirect(Handler routes, IntSupplier httpsPort) {
        super(routes);
        this.httpsPort = httpsPort;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.isSecure() || SERVED_IN_PLAIN.contains(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        HttpURI uri = request.getHttpURI();
        int port = httpsPort.getAsInt();
        String target = HttpURI.build(uri).scheme("https").port(port == 443 ? -1 : port).asString();
        response.setStatus(HttpStatus.TEMPORARY_REDIRECT_307);
        response.getHeaders().put(HttpHeader.LOCATION, target);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        callback.succeeded();
        return true;
    }
}
