package dev.parley.signaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Prometheus metrics of the signaling layer (names under {@code parley_signaling_*}). */
final class SignalingMetrics {
    final AtomicInteger sockets = new AtomicInteger();
    final AtomicInteger sessionsConnected = new AtomicInteger();
    final AtomicInteger sessionsAway = new AtomicInteger();
    final AtomicInteger rooms = new AtomicInteger();
    private final MeterRegistry registry;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter resumed;
    private final Counter expired;
    private final Counter statsReports;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<String, Counter> relayed = new ConcurrentHashMap<>();

    SignalingMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("parley.signaling.sockets", sockets, AtomicInteger::get)
                .description("open signaling WebSockets").register(registry);
        Gauge.builder("parley.signaling.sessions", sessionsConnected, AtomicInteger::get)
                .tag("state", "connected").description("sessions by socket state").register(registry);
        Gauge.builder("parley.signaling.sessions", sessionsAway, AtomicInteger::get)
                .tag("state", "away").description("sessions by socket state").register(registry);
        Gauge.builder("parley.signaling.rooms", rooms, AtomicInteger::get)
                .description("rooms with at least one session").register(registry);
        messagesIn = Counter.builder("parley.signaling.messages").tag("direction", "in")
                .description("signaling messages").register(registry);
        messagesOut = Counter.builder("parley.signaling.messages").tag("direction", "out")
                .description("signaling messages").register(registry);
        resumed = Counter.builder("parley.signaling.sessions.resumed")
                .description("sessions resumed on a new socket").register(registry);
        expired = Counter.builder("parley.signaling.sessions.expired")
                .description("sessions ended because the resume grace period ran out").register(registry);
        statsReports = Counter.builder("parley.signaling.stats.reports")
                .description("client stats reports accepted (refused ones count as errors)").register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("parley.signaling.errors").tag("code", code.wire())
                    .description("refused client messages, by error code (including refused frames that got a close or no answer)")
                    .register(registry));
        }
        // Every relay type is listed from the start (at 0), so alerts and rates need no first relay.
        for (String type : List.of("offer", "answer", "candidate", "message")) relayed(type, 0);
    }

    void messageIn() {
        messagesIn.increment();
    }

    void messageOut() {
        messagesOut.increment();
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }

    void relayed(String type) {
        relayed(type, 1);
    }

    private void relayed(String type, int count) {
        relayed.computeIfAbsent(type, t -> Counter.builder("parley.signaling.relayed").tag("type", t)
                .description("messages relayed between peers, by type").register(registry)).increment(count);
    }

    void statsReport() {
        statsReports.increment();
    }

    void resumed() {
        resumed.increment();
    }

    void expired() {
        expired.increment();
    }
}
