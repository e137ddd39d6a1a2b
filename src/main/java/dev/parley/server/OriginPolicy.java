package dev.parley.server;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which browser origins may open the signaling WebSocket (RFC 6455 §10.2). Same-origin pages
 * always may, and in cluster mode pages served by any live node (a redirect moves their socket
 * to another node); others only when configured. Clients that send no Origin (native apps) are allowed.
 */
final class OriginPolicy {
    private final List<String> allowed;
    /** Base URLs of the cluster's live nodes; a snapshot that never waits on Redis. */
    private final Supplier<Set<String>> clusterNodeUrls;

    OriginPolicy(List<String> allowedOrigins) {
        this(allowedOrigins, Set::of);
    }

    OriginPolicy(List<String> allowedOrigins, Supplier<Set<String>> clusterNodeUrls) {
        this.allowed = allowedOrigins.stream().map(o -> stripSlash(o.toLowerCase(Locale.ROOT))).toList();
        this.clusterNodeUrls = clusterNodeUrls;
    }

    boolean allows(String origin, String hostHeader) {
        if (origin == null) return true;
        if (allowed.contains("*")) return true;
        String normalized = stripSlash(origin.toLowerCase(Locale.ROOT));
        if (allowed.contains(normalized)) return true;
        for (String node : clusterNodeUrls.get()) {
            if (normalized.equals(originOf(node))) return true;
        }
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

    /**
     * The origin a page served from {@code baseUrl} sends (RFC 6454 §6.1: scheme://host[:port], the
     * port left out when it is the scheme's default), or null for a URL that is not http(s).
     */
    static String originOf(String baseUrl) {
        try {
            URI uri = URI.create(baseUrl.toLowerCase(Locale.ROOT));
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) return null;
            boolean defaultPort = uri.getPort() < 0 || defaultPort(scheme).equals(":" + uri.getPort());
            return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String defaultPort(String scheme) {
        return "https".equals(scheme) ? ":443" : ":80";
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
