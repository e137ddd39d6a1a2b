package dev.parley.rtc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of the media transport layer ({@code parley_rtc_*}); cheap enough for the hot path. */
public final class RtcMetrics {
    final Counter datagramsIn;
    final Counter datagramsOut;
    final Counter bytesIn;
    final Counter bytesOut;
    final Counter unknownSource;
    final Counter malformed;
    final Counter srtpFailures;
    final Counter stunRefused;
    final Counter dtlsFailures;
    final Counter tcpCongested;

    public RtcMetrics(MeterRegistry registry) {
        datagramsIn = Counter.builder("parley.rtc.datagrams").tag("direction", "in").register(registry);
        datagramsOut = Counter.builder("parley.rtc.datagrams").tag("direction", "out").register(registry);
        bytesIn = Counter.builder("parley.rtc.bytes").tag("direction", "in").register(registry);
        bytesOut = Counter.builder("parley.rtc.bytes").tag("direction", "out").register(registry);
        unknownSource = Counter.builder("parley.rtc.dropped").tag("reason", "unknown-source")
                .description("datagrams dropped, by reason").register(registry);
        malformed = Counter.builder("parley.rtc.dropped").tag("reason", "malformed").register(registry);
        srtpFailures = Counter.builder("parley.rtc.dropped").tag("reason", "srtp").register(registry);
        stunRefused = Counter.builder("parley.rtc.dropped").tag("reason", "stun-refused").register(registry);
        tcpCongested = Counter.builder("parley.rtc.dropped").tag("reason", "tcp-congested").register(registry);
        dtlsFailures = Counter.builder("parley.rtc.dtls.failures").description("DTLS handshakes that failed").register(registry);
    }
}
