package dev.parley.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the admin page shows of signaling: rooms, their peers and each peer's latest stats report. */
public final class AdminView {
    private AdminView() {}

    /** One room as it was when the view was taken. */
    public record RoomView(String id, int capacity, long createdAtMillis, List<PeerView> peers) {}

    /**
     * One peer: {@code away} while its socket is gone (resume grace); {@code userAgent} and
     * {@code remoteAddress} are those of its latest socket; {@code stats} is the latest
     * validated {@code stats} report (app, connections), or null before the first, received at
     * {@code statsAtMillis}.
     */
    public record PeerView(String peerId, String name, long joinedAtMillis, boolean away, String userAgent,
                           String remoteAddress, long statsAtMillis, JsonNode stats) {}

    /** Copies the rooms' state; runs on the signaling thread. */
    static List<RoomView> of(Collection<Room> rooms) {
        List<RoomView> views = new ArrayList<>(rooms.size());
        for (Room room : rooms) {
            List<PeerView> peers = new ArrayList<>(room.members().size());
            for (Session s : room.members()) {
                // Stored reports are never mutated, but copy anyway: the view leaves this thread.
                JsonNode stats = s.stats() == null ? null : s.stats().deepCopy();
                peers.add(new PeerView(s.peerId(), s.name(), s.joinedAtMillis(), s.isAway(), s.userAgent(),
                        s.remoteAddress(), s.statsAtMillis(), stats));
            }
            views.add(new RoomView(room.id(), room.capacity(), room.createdAtMillis(), List.copyOf(peers)));
        }
        return List.copyOf(views);
    }
}
