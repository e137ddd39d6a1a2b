package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol-level signaling client for tests (java.net.http WebSocket). Collects every server
 * message; answers server pings unless told to play dead.
 */
public final class WsClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> stash = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final WebSocket socket;
    private volatile boolean answerPings = true;
    private volatile boolean acknowledge = true;
    private volatile long lastSeq;

    private WsClient(HttpClient http, URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static WsClient connect(URI uri) {
        return new WsClient(HTTP, uri, Map.of());
    }

    public static WsClient connect(URI uri, Map<String, String> headers) {
        return new WsClient(HTTP, uri, headers);
    }

    /** Through a client of the caller's, e.g. one that trusts a test certificate for wss://. */
    public static WsClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        return new WsClient(http, uri, headers);
    }

    /** Stops answering server pings and sending anything, like a client whose network died. */
    public void playDead() {
        answerPings = false;
    }

    /** Keeps answering pings, but never acknowledges an event (its pongs carry ack 0). */
    public void neverAcknowledge() {
        acknowledge = false;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** java.net.http allows one outstanding send at a time, so every send goes through here. */
    public synchronized void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    public void send(ObjectNode message) {
        sendRaw(message.toString());
    }

    /** Builds a message from alternating key/value pairs. */
    public static ObjectNode msg(String type, Object... keyValues) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return node;
    }

    /** Sends a request with a fresh id and returns the matching response or error. */
    public JsonNode request(ObjectNode message) {
        int id = nextId.getAndIncrement();
        message.put("id", id);
        send(message);
        return next(m -> m.path("id").asInt(-1) == id
                && (m.path("type").asText().equals("response") || m.path("type").asText().equals("error")), REQUEST_TIMEOUT);
    }

    /** How long {@link #request} waits: 10 s, or system property {@code synthetic.requestTimeoutSeconds} (load benchmarks). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(Long.getLong("synthetic.requestTimeoutSeconds", 10));

    /** Joins a room and returns the result object; fails the test on an error. */
    public JsonNode join(String room, String name) {
        ObjectNode join = msg("join", "name", name);
        if (room != null) join.put("room", room);
        JsonNode answer = request(join);
        if (!answer.path("type").asText().equals("response")) throw new AssertionError("join failed: " + answer);
        return answer.get("result");
    }

    /** The next message of this type (others are kept for later calls). */
    public JsonNode next(String type) {
        return next(m -> m.path("type").asText().equals(type));
    }

    public JsonNode next(java.util.function.Predicate<JsonNode> wanted) {
        return next(wanted, Duration.ofSeconds(10));
    }

    public JsonNode next(java.util.function.Predicate<JsonNode> wanted, Duration timeout) {
        synchronized (stash) {
            for (int i = 0; i < stash.size(); i++) {
                if (wanted.test(stash.get(i))) return stash.remove(i);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) throw new AssertionError("no matching message within " + timeout + "; got " + stash);
                if (wanted.test(m)) return m;
                synchronized (stash) {
                    stash.add(m);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** True if a message of this type arrives within the time (for asserting absence use with care). */
    public boolean receives(String type, Duration within) {
        try {
            next(m -> m.path("type").asText().equals(type), within);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** The close code the server sent, waiting up to the timeout. */
    public int awaitClose(Duration timeout) {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within " + timeout, e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(1000, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode m = JSON.readTree(text);
                    if (m.has("seq")) lastSeq = Math.max(lastSeq, m.get("seq").asLong());
                    if (m.path("type").asText().equals("ping") && answerPings) {
                        sendRaw(msg("pong", "ack", acknowledge ? lastSeq : 0).toString());
                    }
                    inbox.add(m);
                } catch (Exception e) {
                    inbox.add(msg("unparseable", "text", text));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
