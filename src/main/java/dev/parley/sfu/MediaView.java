package dev.parley.sfu;

import dev.parley.rtc.RtcTransport;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SFU's own view of one participant, for the admin page: its two transports, what it
 * publishes (rate measured on arrival) and what is forwarded to it (counters since the
 * subscription began, and the send-side bandwidth estimate towards it).
 *
 * @param publish      the publish transport (browser → SFU), or null before the first sfu-publish
 * @param subscribe    the subscribe transport (SFU → browser), or null before the first answer
 * @param producers    published tracks
 * @param inboundBps   sum of the published streams' current rates, bits/s
 * @param videoWidth   width of the largest published video layer seen, or -1
 * @param videoHeight  height of that layer, or -1
 * @param consumers    tracks forwarded to this participant
 * @param forwardedPackets RTP packets sent to this participant by its current consumers
 * @param forwardedBytes   RTP payload bytes sent to this participant by its current consumers
 * @param estimateBps  send-side bandwidth estimate towards it (transport-cc), or -1
 * @param lossFraction loss on the subscribe path seen by the estimator (0..1), or -1
 * @param rttMillis    round-trip time of the subscribe path seen by the estimator, or -1
 */
public record MediaView(TransportView publish, TransportView subscribe, int producers, long inboundBps,
                        int videoWidth, int videoHeight, int consumers, long forwardedPackets, long forwardedBytes,
                        long estimateBps, double lossFraction, long rttMillis) {

    /** One ICE/DTLS transport: connected once DTLS is up; protocol and remote of the selected ICE pair. */
    public record TransportView(boolean connected, String protocol, String remote) {
        static TransportView of(RtcTransport transport) {
            if (transport == null || transport.isClosed()) return null;
            var remote = transport.selectedRemote();
            return new TransportView(transport.isConnected(), transport.selectedProtocol(),
                    remote == null ? null : remote.getAddress().getHostAddress() + ":" + remote.getPort());
        }
    }

    /** Copies every router's participants; runs on the media loop. */
    static Map<String, Map<String, MediaView>> of(Collection<Router> routers) {
        Map<String, Map<String, MediaView>> rooms = new LinkedHashMap<>();
        for (Router router : routers) {
            Map<String, MediaView> peers = new LinkedHashMap<>();
            for (Participant p : router.participants.values()) peers.put(p.peerId, of(p));
            rooms.put(router.id, Map.copyOf(peers));
        }
        return rooms;
    }

    private static MediaView of(Participant p) {
        long inbound = 0;
        int width = -1;
        int height = -1;
        for (Producer producer : p.producersByMid.values()) {
            if (producer.closed) continue;
            for (ProducerStream stream : producer.streams) {
                inbound += Math.max(0, stream.bitrate);
                if (stream.width > width) {
                    width = stream.width;
                    height = stream.height;
                }
            }
        }
        long packets = 0;
        long bytes = 0;
        for (Consumer consumer : p.consumers.values()) {
            packets += consumer.packetsSent;
            bytes += consumer.octetsSent;
        }
        long estimate = -1;
        double loss = -1;
        long rtt = -1;
        if (p.congestion != null) {
            var estimator = p.congestion.estimator();
            estimate = p.congestion.estimateBps();
            loss = estimator.lossFraction();
            rtt = estimator.rttMicros() < 0 ? -1 : estimator.rttMicros() / 1000;
        }
        int producers = (int) p.producersByMid.values().stream().filter(x -> !x.closed).count();
        return new MediaView(TransportView.of(p.publishTransport), TransportView.of(p.subscribeTransport), producers,
                inbound, width, height, p.consumers.size(), packets, bytes, estimate, loss, rtt);
    }
}
