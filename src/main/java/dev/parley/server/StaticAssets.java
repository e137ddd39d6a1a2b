package dev.parley.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser SDK and apps (repository folder {@code web/}), read from the jar or, for UI work,
 * from a folder. Friendly routes ({@code /}, {@code /transfer}, …) map to each app's index page.
 */
final class StaticAssets {
    /** Apps reachable at {@code /<name>}; each has {@code web/apps/<name>/index.html}. */
    static final Set<String> APPS = Set.of("transfer", "call", "room", "admin");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "wasm", "application/wasm",
            "map", "application/json");

    private final Optional<Path> webRoot;
    /** Only assets that exist are cached, so requests for random paths cannot grow it. */
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    StaticAssets(Optional<Path> webRoot) {
        this.webRoot = webRoot;
    }

    /** An asset found for a request path. */
    record Asset(String contentType, ByteBuffer body) {}

    /** The asset for a request path, or empty for a 404. Never escapes the web folder. */
    Optional<Asset> find(String requestPath) {
        String path = resourcePath(requestPath);
        if (path == null) return Optional.empty();
        Optional<byte[]> bytes = webRoot.isPresent() ? readFile(path) : cached(path);
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return bytes.map(b -> new Asset(TYPES.getOrDefault(ext, "application/octet-stream"), ByteBuffer.wrap(b).asReadOnlyBuffer()));
    }

    static String resourcePath(String requestPath) {
        if (requestPath == null || requestPath.isEmpty() || requestPath.equals("/")) return "apps/index.html";
        String trimmed = requestPath.endsWith("/") ? requestPath.substring(1, requestPath.length() - 1) : requestPath.substring(1);
        if (APPS.contains(trimmed)) return "apps/" + trimmed + "/index.html";
        if (trimmed.contains("..") || trimmed.contains("\\") || trimmed.contains("//")) return null;
        if (!(trimmed.startsWith("apps/") || trimmed.startsWith("sdk/") || trimmed.startsWith("vendor/"))) return null;
        if (trimmed.indexOf('.', trimmed.lastIndexOf('/')) < 0) return null;
        return trimmed;
    }

    private Optional<byte[]> cached(String path) {
        byte[] hit = cache.get(path);
        if (hit != null) return Optional.of(hit);
        Optional<byte[]> read = readClasspath(path);
        read.ifPresent(b -> cache.put(path, b));
        return read;
    }

    private Optional<byte[]> readFile(String path) {
        Path file = webRoot.orElseThrow().resolve(path).normalize();
        if (!file.startsWith(webRoot.orElseThrow().normalize()) || !Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<byte[]> readClasspath(String path) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream("web/" + path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
