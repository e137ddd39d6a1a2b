package dev.parley.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may see the admin page and {@code /admin/api}: with {@code --admin-token}, requests that
 * carry {@code Authorization: Bearer <token>} (the page itself is served to anyone and asks for
 * the token); without one, only clients on this machine: a loopback peer that names this machine
 * by a loopback name and did not come through a proxy.
 *
 * <p>The name matters as much as the address: nginx's {@code proxy_pass} adds no forwarding header
 * by default, so a request from the internet arrives from 127.0.0.1 without one — but it carries
 * the public {@code Host}. So does a DNS-rebinding page in the operator's own browser.
 */
final class AdminAuth {
    /** Headers a reverse proxy adds: such a request came from elsewhere even though it arrives on loopback. */
    static final java.util.List<String> PROXY_HEADERS = java.util.List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    /** The outcome of a check: allowed, or refused with an HTTP status and an error the page can show. */
    record Decision(int status, String error, String message) {
        static final Decision ALLOWED = new Decision(200, null, null);

        boolean allowed() {
            return status == 200;
        }
    }

    private final Optional<byte[]> token;

    AdminAuth(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    boolean tokenConfigured() {
        return token.isPresent();
    }

    /**
     * Checks an API request.
     *
     * @param authorization the Authorization header, or null
     * @param remote        the peer address of the TCP connection
     * @param proxied       true if the request carries one of {@link #PROXY_HEADERS}
     */
    Decision checkApi(String authorization, InetAddress remote, boolean proxied) {
        if (token.isEmpty()) return checkLocal(remote, proxied);
        String prefix = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return new Decision(401, "unauthorized", "send the admin token (--admin-token) as Authorization: Bearer <token>");
        }
        byte[] given = authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get())) { // constant time: no token-guessing by timing
            return new Decision(401, "unauthorized", "wrong admin token");
        }
        return Decision.ALLOWED;
    }

    /** Checks a request for the page: anyone with a token configured (the API guards the data), else loopback only. */
    Decision checkPage(InetAddress remote, boolean proxied) {
        return token.isPresent() ? Decision.ALLOWED : checkLocal(remote, proxied);
    }

    private static Decision checkLocal(InetAddress remote, boolean proxied) {
        if (isLocalClient(remote, proxied)) return Decision.ALLOWED;
        return new Decision(403, "forbidden",
                "no --admin-token is set, so the admin page answers only clients on this machine; set one to use it remotely");
    }

    /** The loopback rule: a loopback peer (127.0.0.0/8, ::1) whose request did not pass through a proxy. */
    static boolean isLocalClient(InetAddress remote, boolean proxied) {
        return remote != null && remote.isLoopbackAddress() && !proxied;
    }

    /**
     * True if the {@code Host} header's name (without port) is a loopback name: localhost,
     * 127.0.0.0/8 or [::1]. Anything else — a public name, an address of another interface, no
     * Host at all — means the request did not come from a browser or tool on this machine
     * talking to it directly.
     */
    static boolean isLoopbackHostName(String host) {
        if (host == null) return false;
        String name = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end > 0 && name.substring(1, end).equals("::1");
        }
        int colon = name.indexOf(':');
        if (colon >= 0) name = name.substring(0, colon);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
