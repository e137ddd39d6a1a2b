package dev.parley.server;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open the signaling WebSocket (RFC 6455 §10.2). Same-origin pages
 * always may; others only when configured. Clients that send no Origin (native apps) are allowed.
 */
final class OriginPolicy {
    private final List<String> allowed;

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(o -> stripSlash(o.toLowerCase(Locale.ROOT))).toList();
    }

    boolean allows(String origin, String hostHeader) {
        if (origin == null) return true;
        if (allowed.contains("*")) return true;
        String normalized = stripSlash(origin.toLowerCase(Locale.ROOT));
        if (allowed.contains(normalized)) return true;
        if (hostHeader == null) return false;
        try {
            URI uri = URI.create(normalized);
            if (uri.getHost() == null) return false;
            String originHost = uri.getPort() < 0 ? uri.getHost() + defaultPort(uri.getScheme()) : uri.getHost() + ":" + uri.getPort();
            String host = hostHeader.toLowerCase(Locale.ROOT);
            String hostWithPort = host.matches(".*:\\d+$") ? host : host + defaultPort(uri.getScheme());
            return originHost.equals(hostWithPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String defaultPort(String scheme) {
        return "https".equals(scheme) ? ":443" : ":80";
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
