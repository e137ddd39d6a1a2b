package dev.parley.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus metrics of the TURN server, under {@code parley_turn_*}. Labels are closed sets
 * (transport, direction, reason, method, code): never usernames or addresses.
 */
final class TurnMetrics {
    final AtomicInteger udpAllocations = new AtomicInteger();
    final AtomicInteger tcpAllocations = new AtomicInteger();
    final AtomicInteger permissions = new AtomicInteger();
    final AtomicInteger channels = new AtomicInteger();
    final AtomicInteger peerConnections = new AtomicInteger();
    final Counter bytesToPeer;
    final Counter bytesToClient;
    final Counter packetsToPeer;
    final Counter packetsToClient;
    private final MeterRegistry registry;
    private final Map<Authenticator.Failure, Counter> authFailures = new EnumMap<>(Authenticator.Failure.class);
    private final Counter wrongCredentials;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> errors = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final Counter allocationsCreated;
    final Counter streamThrottled;

    TurnMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("parley.turn.allocations", udpAllocations, AtomicInteger::get).tag("transport", "udp")
                .description("active allocations by relay transport").register(registry);
        Gauge.builder("parley.turn.allocations", tcpAllocations, AtomicInteger::get).tag("transport", "tcp")
                .description("active allocations by relay transport").register(registry);
        Gauge.builder("parley.turn.permissions", permissions, AtomicInteger::get)
                .description("installed peer permissions").register(registry);
        Gauge.builder("parley.turn.channels", channels, AtomicInteger::get)
                .description("bound channels").register(registry);
        Gauge.builder("parley.turn.peer.connections", peerConnections, AtomicInteger::get)
                .description("RFC 6062 TCP peer connections").register(registry);
        bytesToPeer = Counter.builder("parley.turn.relayed.bytes").tag("direction", "to_peer").baseUnit("bytes")
                .description("application bytes relayed").register(registry);
        bytesToClient = Counter.builder("parley.turn.relayed.bytes").tag("direction", "to_client").baseUnit("bytes")
                .description("application bytes relayed").register(registry);
        packetsToPeer = Counter.builder("parley.turn.relayed.packets").tag("direction", "to_peer")
                .description("packets (or TCP reads) relayed").register(registry);
        packetsToClient = Counter.builder("parley.turn.relayed.packets").tag("direction", "to_client")
                .description("packets (or TCP reads) relayed").register(registry);
        for (Authenticator.Failure f : Authenticator.Failure.values()) {
            authFailures.put(f, Counter.builder("parley.turn.auth.failures").tag("reason", f.label)
                    .description("requests not authenticated, by reason (challenge = first 401 without credentials)").register(registry));
        }
        wrongCredentials = Counter.builder("parley.turn.auth.failures").tag("reason", "wrong_credentials")
                .description("requests not authenticated, by reason (challenge = first 401 without credentials)").register(registry);
        streamThrottled = Counter.builder("parley.turn.stream.throttled")
                .description("RFC 6062 relay reads paused by the per-allocation bandwidth cap").register(registry);
        allocationsCreated = Counter.builder("parley.turn.allocations.opened").description("allocations opened (a _created suffix is reserved by OpenMetrics)").register(registry);
    }

    void authFailure(Authenticator.Failure failure) {
        authFailures.get(failure).increment();
    }

    void wrongCredentials() {
        wrongCredentials.increment();
    }

    void allocationCreated() {
        allocationsCreated.increment();
    }

    /** Packets dropped on the relay path; reason is one of a fixed set of code constants. */
    void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("parley.turn.dropped").tag("reason", r)
                .description("relay packets dropped, by reason").register(registry)).increment();
    }

    void error(int code) {
        errors.computeIfAbsent(code, c -> Counter.builder("parley.turn.errors").tag("code", Integer.toString(c))
                .description("STUN error responses sent, by code").register(registry)).increment();
    }

    void request(int method) {
        // unknown methods share one label so a client cannot mint new time series
        int key = dev.parley.codec.stun.StunMethod.name(method).startsWith("0x") ? -1 : method;
        requests.computeIfAbsent(key, m -> Counter.builder("parley.turn.requests")
                .tag("method", m < 0 ? "other" : dev.parley.codec.stun.StunMethod.name(m))
                .description("STUN/TURN requests and indications received, by method").register(registry)).increment();
    }
}
