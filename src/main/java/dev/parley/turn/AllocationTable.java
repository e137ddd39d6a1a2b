package dev.parley.turn;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every allocation of the server, the quotas that bound them (total and per username), and the
 * RFC 6062 connection ids waiting for ConnectionBind. Every map here is capped by those quotas.
 */
final class AllocationTable {
    /** Outcome of reserving a slot for a new allocation. */
    enum Reservation { OK, USER_QUOTA, CAPACITY }

    private final ConcurrentHashMap<InetSocketAddress, Allocation> udp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, PeerConnection> pendingConnections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TurnProtocol.Reservation> reservations = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final int maxTotal;
    private final int maxPerUser;

    AllocationTable(int maxTotal, int maxPerUser) {
        this.maxTotal = maxTotal;
        this.maxPerUser = maxPerUser;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Reserves quota for one allocation of this user; undo with {@link #release(String)}. */
    Reservation reserve(String username) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Reservation.CAPACITY;
        }
        AtomicInteger count = perUser.computeIfAbsent(username, u -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerUser) {
            release(username);
            return Reservation.USER_QUOTA;
        }
        return Reservation.OK;
    }

    void release(String username) {
        total.decrementAndGet();
        perUser.computeIfPresent(username, (u, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    /** The allocation of this client 5-tuple, or null. */
    Allocation find(ClientLink link) {
        if (link instanceof ClientLink.Stream s) return s.allocation;
        return udp.get(link.remote());
    }

    /** Allocation for a UDP client address, the ChannelData fast path. */
    Allocation findUdp(InetSocketAddress client) {
        return udp.get(client);
    }

    /** Registers a new (still binding) allocation; false if the 5-tuple already has one. */
    boolean register(Allocation allocation) {
        if (allocation.client instanceof ClientLink.Stream s) {
            synchronized (s) {
                if (s.allocation != null) return false;
                s.allocation = allocation;
                return true;
            }
        }
        return udp.putIfAbsent(allocation.client.remote(), allocation) == null;
    }

    void remove(Allocation allocation) {
        boolean removed;
        if (allocation.client instanceof ClientLink.Stream s) {
            synchronized (s) {
                removed = s.allocation == allocation;
                if (removed) s.allocation = null;
            }
        } else {
            removed = udp.remove(allocation.client.remote(), allocation);
        }
        if (removed) release(allocation.username);
    }

    int size() {
        return total.get();
    }

    /** Holds a reserved relay port under its token; at most one per allocation, released after 30 s. */
    void addReservation(String token, TurnProtocol.Reservation reservation) {
        reservations.put(token, reservation);
    }

    /** Takes the reservation for this token, or null; only one Allocate can claim it. */
    TurnProtocol.Reservation claimReservation(String token) {
        return reservations.remove(token);
    }

    /** A fresh, unused RFC 6062 CONNECTION-ID. */
    int registerConnection(PeerConnection connection, java.util.function.IntSupplier random) {
        while (true) {
            int id = random.getAsInt();
            if (id != 0 && pendingConnections.putIfAbsent(id, connection) == null) return id;
        }
    }

    /** Claims a pending connection; only one ConnectionBind can win it. */
    PeerConnection claimConnection(int id) {
        return pendingConnections.remove(id);
    }

    void forgetConnection(int id, PeerConnection connection) {
        pendingConnections.remove(id, connection);
    }
}
