package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.codec.sdp.SessionDescription;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synthetic participant of a Janus VideoRoom (the side-by-side SFU of the benchmarks), with the
 * same media machinery as {@link SyntheticPeer} (ICE as the controlling agent, DTLS client,
 * SRTP, the same VP8-like packets and {@link MediaReceiveStats}) but Janus's HTTP API for
 * signaling: create a session, attach {@code janus.plugin.videoroom}, publish with
 * {@code joinandconfigure} and an offer (the answer arrives on the session's long poll), or
 * subscribe with {@code join} + {@code streams:[{feed}]}, answer Janus's offer and {@code start}.
 * Our offers say {@code a=setup:active} (we are the DTLS client; Janus then answers passive).
 * Signaling calls from one thread; {@link #sendVideo} from one (maybe other) thread.
 */
public final class JanusPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicLong TRANSACTIONS = new AtomicLong();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final String name;
    private final long session;
    private final DtlsConfig dtlsConfig = DtlsConfig.defaults(DtlsCertificate.generate());
    private final MediaReceiveStats stats;
    private final List<JsonNode> stash = new ArrayList<>();
    private SyntheticConnection publishConnection;
    private SyntheticConnection subscribeConnection;
    private long videoSsrc;
    private int videoSequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private final byte[] sendBuffer = new byte[12 + SyntheticPeer.MAX_PAYLOAD + 64];

    private JanusPeer(URI base, String name, long session, int verifyEvery) {
        this.base = base;
        this.name = name;
        this.session = session;
        this.stats = new MediaReceiveStats(verifyEvery);
    }

    /** Creates a Janus session at {@code base} (e.g. {@code http://127.0.0.1:8088/janus}). */
    public static JanusPeer connect(URI base, String name, int verifyEvery) {
        JsonNode created = post(base, msg("create"));
        return new JanusPeer(base, name, created.path("data").path("id").asLong(), verifyEvery);
    }

    public MediaReceiveStats stats() {
        return stats;
    }

    /** Creates a VP8/Opus room for up to {@code publishers} publishers; returns its id. */
    public long createRoom(int publishers) {
        long handle = attach();
        long room = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        ObjectNode body = JSON.createObjectNode().put("request", "create").put("room", room).put("publishers", publishers)
                .put("bitrate", 0).put("videocodec", "vp8").put("audiocodec", "opus").put("notify_joining", false)
                .put("is_private", true);
        JsonNode reply = message(handle, body, null);
        JsonNode data = reply.path("plugindata").path("data");
        if (!"created".equals(data.path("videoroom").asText())) throw new IllegalStateException(name + ": create room: " + reply);
        return room;
    }

    /** Publishes one video track to {@code room}: offer, Janus's answer, ICE and DTLS; returns the feed id. */
    public long publish(long room) {
        long handle = attach();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        SyntheticSdp.PublisherSsrcs ssrcs = new SyntheticSdp.PublisherSsrcs(0, random.nextLong(1, 1L << 32), random.nextLong(1, 1L << 32));
        videoSsrc = ssrcs.video();
        publishConnection = new SyntheticConnection(name + "-pub", dtlsConfig, (c, buf, len, at) -> { });
        String offer = SyntheticSdp.publishOffer(publishConnection, name, ssrcs, List.of(), session, "active");
        ObjectNode body = JSON.createObjectNode().put("request", "joinandconfigure").put("room", room).put("ptype", "publisher")
                .put("display", name).put("audio", false).put("video", true);
        message(handle, body, jsep("offer", withCandidate(offer, publishConnection)));
        JsonNode event = awaitEvent(handle, e -> e.has("jsep"));
        JsonNode data = event.path("plugindata").path("data");
        SyntheticSdp.Remote remote = SyntheticSdp.readRemote(SessionDescription.parse(event.path("jsep").path("sdp").asText()));
        if (remote == null) throw new IllegalStateException(name + ": Janus accepted no track: " + event);
        publishConnection.connect(remote, TIMEOUT);
        return data.path("id").asLong();
    }

    /** Subscribes to {@code feeds} of {@code room} on one connection; returns once SRTP is keyed. */
    public void subscribe(long room, List<Long> feeds) {
        long handle = attach();
        ObjectNode body = JSON.createObjectNode().put("request", "join").put("room", room).put("ptype", "subscriber");
        var streams = body.putArray("streams");
        for (long feed : feeds) streams.addObject().put("feed", feed);
        message(handle, body, null);
        JsonNode event = awaitEvent(handle, e -> e.has("jsep"));
        SyntheticSdp.SubscribeOffer offer = SyntheticSdp.readSubscribeOffer(event.path("jsep").path("sdp").asText());
        subscribeConnection = new SyntheticConnection(name + "-sub", dtlsConfig, stats::onPacket);
        stats.expect(offer.tracks().stream().mapToLong(SyntheticSdp.Track::ssrc).toArray());
        String answer = SyntheticSdp.subscribeAnswer(subscribeConnection, offer, session, 2);
        message(handle, JSON.createObjectNode().put("request", "start"), jsep("answer", withCandidate(answer, subscribeConnection)));
        subscribeConnection.connect(offer.remote(), TIMEOUT);
    }

    /** As {@link SyntheticPeer#sendVideo}: one VP8-like key frame packet carrying its send time. */
    public boolean sendVideo(int payloadBytes) {
        synchronized (sendBuffer) {
            videoSequence = (videoSequence + 1) & 0xFFFF;
            long now = System.nanoTime();
            int length = SyntheticPeer.buildRtp(sendBuffer, SyntheticSdp.VP8_PT, videoSequence, now / 100_000 * 9, videoSsrc,
                    (byte) 0x10, payloadBytes, now, -1);
            return publishConnection.sendRtp(sendBuffer, length);
        }
    }

    /** Consent freshness (RFC 7675) on both connections. */
    public void keepAlive() {
        if (publishConnection != null) publishConnection.keepAlive();
        if (subscribeConnection != null) subscribeConnection.keepAlive();
    }

    private long attach() {
        ObjectNode attach = msg("attach").put("plugin", "janus.plugin.videoroom");
        return post(base.resolve(base.getPath() + "/" + session), attach).path("data").path("id").asLong();
    }

    /** Sends a plugin message; returns the synchronous reply (success with plugindata, or ack). */
    private JsonNode message(long handle, ObjectNode body, ObjectNode jsep) {
        ObjectNode m = msg("message");
        m.set("body", body);
        if (jsep != null) m.set("jsep", jsep);
        JsonNode reply = post(base.resolve(base.getPath() + "/" + session + "/" + handle), m);
        String kind = reply.path("janus").asText();
        if (!kind.equals("success") && !kind.equals("ack")) throw new IllegalStateException(name + ": Janus refused " + body + ": " + reply);
        return reply;
    }

    /**
     * Janus, a full ICE agent even in its lite mode, wants a remote candidate: our one host
     * candidate (RFC 8839 §5.1) in every m-line, and the end of gathering (§5.4).
     */
    private static String withCandidate(String sdp, SyntheticConnection connection) {
        return sdp.replace("a=rtcp-mux\r\n", "a=rtcp-mux\r\na=candidate:1 1 udp 2130706431 " + connection.localAddress().getAddress().getHostAddress()
                + " " + connection.localAddress().getPort()
                + " typ host\r\na=end-of-candidates\r\n");
    }

    private static ObjectNode jsep(String type, String sdp) {
        return JSON.createObjectNode().put("type", type).put("sdp", sdp).put("trickle", false);
    }

    /** Long-polls the session until an event for {@code handle} matches (others are kept). */
    private JsonNode awaitEvent(long handle, java.util.function.Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; i < stash.size(); i++) {
            JsonNode e = stash.get(i);
            if (e.path("sender").asLong() == handle && wanted.test(e)) return stash.remove(i);
        }
        while (System.nanoTime() < deadline) {
            JsonNode e = get(base.resolve(base.getPath() + "/" + session + "?maxev=1"));
            if (e.path("janus").asText().equals("keepalive")) continue;
            JsonNode error = e.path("plugindata").path("data").path("error");
            if (!error.isMissingNode() && e.path("sender").asLong() == handle) throw new IllegalStateException(name + ": Janus: " + e);
            if (e.path("sender").asLong() == handle && wanted.test(e)) return e;
            stash.add(e);
        }
        throw new IllegalStateException(name + ": no event from Janus within " + TIMEOUT + "; got " + stash);
    }

    private static ObjectNode msg(String janus) {
        return JSON.createObjectNode().put("janus", janus).put("transaction", "t" + TRANSACTIONS.incrementAndGet());
    }

    private static JsonNode post(URI uri, ObjectNode body) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static JsonNode get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).GET().build());
    }

    private static JsonNode send(HttpRequest request) {
        try {
            JsonNode reply = JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
            if (reply.path("janus").asText().equals("error")) throw new IllegalStateException("Janus error: " + reply);
            return reply;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (publishConnection != null) publishConnection.close();
        if (subscribeConnection != null) subscribeConnection.close();
        try {
            post(base.resolve(base.getPath() + "/" + session), msg("destroy"));
        } catch (RuntimeException e) {
            // Janus is being stopped; its session goes with it
        }
    }

    @Override
    public String toString() {
        return "JanusPeer[" + name + " session " + session + "]";
    }
}
