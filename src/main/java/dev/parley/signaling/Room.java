package dev.parley.signaling;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named group of sessions that can signal each other. Touched only on the signaling thread. */
final class Room {
    private final String id;
    private final int capacity;
    private final Map<String, Session> members = new LinkedHashMap<>();
    private final long createdAtMillis = System.currentTimeMillis();

    Room(String id, int capacity) {
        this.id = id;
        this.capacity = capacity;
    }

    String id() {
        return id;
    }

    /** Wall-clock time the room was created (epoch ms), for the admin page. */
    long createdAtMillis() {
        return createdAtMillis;
    }

    int capacity() {
        return capacity;
    }

    boolean isFull() {
        return members.size() >= capacity;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    void add(Session session) {
        members.put(session.peerId(), session);
    }

    void remove(Session session) {
        members.remove(session.peerId());
    }

    Session member(String peerId) {
        return members.get(peerId);
    }

    Collection<Session> members() {
        return Collections.unmodifiableCollection(members.values());
    }
}
