package dev.parley.signaling;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named group of sessions that can signal each other. Touched only on the signaling thread. */
final class Room {
    private final String id;
    private int capacity;
    private final Map<String, Session> members = new LinkedHashMap<>();
    private final long createdAtMillis = System.currentTimeMillis();
    /** Members connected to other nodes (cluster mode; always empty on a single node). */
    private final Map<String, Cluster.RemotePeer> remote = new LinkedHashMap<>();
    /** Joins waiting for the cluster's answer: the room must not be forgotten meanwhile. */
    private int pendingJoins;
    /**
     * Remote peers whose peer-left arrived while a join was waiting: the cluster's answer to that
     * join may still list them (Redis answers and pub/sub messages travel on different connections).
     */
    private final java.util.Set<String> leftDuringJoins = new java.util.HashSet<>();

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

    /** In cluster mode the room's capacity is the one its first member chose, on whichever node. */
    void capacity(int newCapacity) {
        capacity = newCapacity;
    }

    boolean isFull() {
        return members.size() + remote.size() >= capacity;
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

    void addRemote(Cluster.RemotePeer peer) {
        if (!members.containsKey(peer.id()) && !leftDuringJoins.contains(peer.id())) remote.put(peer.id(), peer);
    }

    Cluster.RemotePeer removeRemote(String peerId) {
        if (pendingJoins > 0) leftDuringJoins.add(peerId);
        return remote.remove(peerId);
    }

    Cluster.RemotePeer remote(String peerId) {
        return remote.get(peerId);
    }

    Collection<Cluster.RemotePeer> remotes() {
        return Collections.unmodifiableCollection(remote.values());
    }

    void joinStarted() {
        pendingJoins++;
    }

    void joinEnded() {
        if (--pendingJoins == 0) leftDuringJoins.clear();
    }

    /** No local member and no join under way: the node can forget the room. */
    boolean isIdle() {
        return members.isEmpty() && pendingJoins == 0;
    }
}
