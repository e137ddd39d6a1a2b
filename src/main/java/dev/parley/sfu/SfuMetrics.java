package dev.parley.sfu;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Prometheus metrics of the SFU ({@code parley_sfu_*}). Updated on the media loop only. */
final class SfuMetrics {
    int routers;
    int transports;
    int producers;
    int consumers;
    final Counter rtpIn;
    final Counter rtpOut;
    final Counter bytesIn;
    final Counter bytesOut;
    final Counter nacksReceived;
    final Counter retransmissions;
    final Counter retransmissionMisses;
    final Counter keyFrameRequests;
    final Counter keyFrameRequestsThrottled;
    final Counter unknownSsrc;
    final Counter malformedPayload;
    final Counter layerSwitches;
    final Counter speakerChanges;
    private final MeterRegistry registry;
    private Counter simulatedLoss;

    SfuMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("parley.sfu.routers", this, m -> m.routers).description("rooms with media").register(registry);
        Gauge.builder("parley.sfu.transports", this, m -> m.transports).description("ICE/DTLS transports").register(registry);
        Gauge.builder("parley.sfu.producers", this, m -> m.producers).description("published tracks").register(registry);
        Gauge.builder("parley.sfu.consumers", this, m -> m.consumers).description("forwarded (subscriber, track) pairs").register(registry);
        rtpIn = Counter.builder("parley.sfu.rtp.packets").tag("direction", "in").register(registry);
        rtpOut = Counter.builder("parley.sfu.rtp.packets").tag("direction", "out").register(registry);
        bytesIn = Counter.builder("parley.sfu.rtp.bytes").tag("direction", "in").register(registry);
        bytesOut = Counter.builder("parley.sfu.rtp.bytes").tag("direction", "out").register(registry);
        nacksReceived = Counter.builder("parley.sfu.nack.received").description("sequence numbers NACKed by subscribers").register(registry);
        retransmissions = Counter.builder("parley.sfu.retransmissions").description("packets resent from the cache").register(registry);
        retransmissionMisses = Counter.builder("parley.sfu.retransmission.misses").description("NACKed packets no longer cached").register(registry);
        keyFrameRequests = Counter.builder("parley.sfu.keyframe.requests").tag("outcome", "sent")
                .description("PLIs sent to publishers").register(registry);
        keyFrameRequestsThrottled = Counter.builder("parley.sfu.keyframe.requests").tag("outcome", "throttled").register(registry);
        layerSwitches = Counter.builder("parley.sfu.layer.switches")
                .description("simulcast layer changes of consumers, each at a key frame").register(registry);
        speakerChanges = Counter.builder("parley.sfu.dominant.speaker.changes").register(registry);
        malformedPayload = Counter.builder("parley.sfu.rtp.malformed.payload")
                .description("packets dropped for a bad VP8 descriptor or audio level element").register(registry);
        unknownSsrc = Counter.builder("parley.sfu.rtp.unknown.ssrc").description("packets for no known stream").register(registry);
    }

    /** Registered only once the loss test hook is used, so production scrapes never show it. */
    Counter simulatedLoss() {
        if (simulatedLoss == null) {
            simulatedLoss = Counter.builder("parley.sfu.test.dropped").description("packets dropped by the loss test hook")
                    .register(registry);
        }
        return simulatedLoss;
    }
}
