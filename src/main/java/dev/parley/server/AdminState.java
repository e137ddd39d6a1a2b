package dev.parley.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.sfu.MediaView;
import dev.parley.sfu.Sfu;
import dev.parley.signaling.AdminView;
import dev.parley.signaling.SignalingService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JSON of {@code GET /admin/api/state}: server totals, every room with its peers, each peer's
 * latest browser stats report and, in SFU rooms, the SFU's own view of it (docs/operations.md,
 * "Admin page"). Signaling state is read on the signaling thread and media state on the media
 * loop, each within {@link #TIMEOUT}.
 */
final class AdminState {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final SignalingService signaling;
    private final Sfu sfu;
    private final MeterRegistry metrics;
    private final long startedMillis = System.currentTimeMillis();
    /** The forwarded-packets counter at the previous snapshot, to turn it into packets per second. */
    private double lastForwarded = -1;
    private long lastForwardedNanos;
    private double forwardedPps;

    AdminState(SignalingService signaling, Sfu sfu, MeterRegistry metrics) {
        this.signaling = signaling;
        this.sfu = sfu;
        this.metrics = metrics;
    }

    /** Serialised state. */
    String json() throws Exception {
        return JSON.writeValueAsString(snapshot());
    }

    ObjectNode snapshot() throws Exception {
        var rooms = signaling.adminView(TIMEOUT);
        Map<String, Map<String, MediaView>> media = sfu == null ? Map.of()
                : sfu.mediaViews().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long now = System.currentTimeMillis();
        ObjectNode state = JSON.createObjectNode();
        state.put("time", now);
        ObjectNode server = state.putObject("server");
        server.put("startedAt", startedMillis);
        SignalingService.Snapshot counts = signaling.snapshot();
        server.put("sockets", counts.sockets());
        server.put("sessions", counts.sessions());
        server.put("rooms", counts.rooms());
        server.put("turnAllocations", (long) gaugeSum("parley.turn.allocations"));
        server.put("statsReports", (long) counterSum("parley.signaling.stats.reports"));
        if (sfu != null) {
            Sfu.Counts sfuCounts = sfu.counts();
            ObjectNode sfuNode = server.putObject("sfu");
            sfuNode.put("routers", sfuCounts.routers());
            sfuNode.put("participants", sfuCounts.participants());
            sfuNode.put("transports", sfuCounts.transports());
            sfuNode.put("producers", sfuCounts.producers());
            sfuNode.put("consumers", sfuCounts.consumers());
            sfuNode.put("forwardedPps", Math.round(forwardedPps(metrics.find("parley.sfu.rtp.packets").tag("direction", "out")
                    .counters().stream().mapToDouble(Counter::count).sum())));
        }
        var roomList = state.putArray("rooms");
        for (AdminView.RoomView room : rooms) {
            Map<String, MediaView> roomMedia = media.get(room.id());
            ObjectNode r = roomList.addObject();
            r.put("id", room.id());
            r.put("kind", roomMedia == null ? "p2p" : "sfu");
            r.put("capacity", room.capacity());
            r.put("createdAt", room.createdAtMillis());
            var peers = r.putArray("peers");
            for (AdminView.PeerView peer : room.peers()) {
                ObjectNode p = peers.addObject();
                p.put("id", peer.peerId());
                p.put("name", peer.name());
                p.put("joinedAt", peer.joinedAtMillis());
                p.put("away", peer.away());
                p.put("userAgent", peer.userAgent());
                p.put("remote", peer.remoteAddress());
                if (peer.stats() != null) {
                    p.put("statsAt", peer.statsAtMillis());
                    p.set("stats", peer.stats());
                }
                MediaView view = roomMedia == null ? null : roomMedia.get(peer.peerId());
                if (view != null) p.set("sfu", JSON.valueToTree(view));
            }
        }
        return state;
    }

    /** Packets per second since the previous snapshot; snapshots less than a second apart reuse the last rate. */
    private synchronized double forwardedPps(double forwarded) {
        long now = System.nanoTime();
        double seconds = (now - lastForwardedNanos) / 1e9;
        if (lastForwarded < 0) {
            lastForwarded = forwarded;
            lastForwardedNanos = now;
        } else if (seconds >= 1) {
            forwardedPps = Math.max(0, forwarded - lastForwarded) / seconds;
            lastForwarded = forwarded;
            lastForwardedNanos = now;
        }
        return forwardedPps;
    }

    private double gaugeSum(String name) {
        return metrics.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    private double counterSum(String name) {
        return metrics.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
