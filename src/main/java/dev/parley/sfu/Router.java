package dev.parley.sfu;

import dev.parley.codec.rtcp.GenericNack;
import dev.parley.codec.rtcp.PictureLossIndication;
import dev.parley.codec.rtcp.ReceiverReport;
import dev.parley.codec.rtcp.ReportBlock;
import dev.parley.codec.rtcp.RtcpCompoundIterator;
import dev.parley.codec.rtcp.RtcpPacketType;
import dev.parley.codec.rtcp.RtcpParseException;
import dev.parley.codec.rtcp.SenderReport;
import dev.parley.codec.rtp.RtpParseException;
import dev.parley.codec.sdp.SdpParseException;
import dev.parley.rtc.RtcTransport;
import dev.parley.rtc.dtls.DtlsFingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room's media (mediasoup's Router): its participants, their producers and the consumers
 * forwarding each producer to every other participant. Confined to the media loop, so the
 * forwarding path takes no locks.
 */
final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /** SSRC the SFU uses as sender of its own RTCP (feedback and receiver reports). */
    private static final long SFU_SSRC = 0x5041524CL; // "PARL"

    final String id;
    private final Sfu sfu;
    final Map<String, Participant> participants = new LinkedHashMap<>();

    Router(String id, Sfu sfu) {
        this.id = id;
        this.sfu = sfu;
    }

    // ---- membership --------------------------------------------------------------------------

    Participant join(String peerId) {
        Participant existing = participants.get(peerId);
        if (existing != null) return existing;
        Participant participant = new Participant(peerId, this);
        participants.put(peerId, participant);
        for (Participant other : participants.values()) {
            if (other == participant) continue;
            for (Producer producer : other.producersByMid.values()) addConsumer(participant, producer);
        }
        sendOfferIfNeeded(participant);
        return participant;
    }

    void leave(Participant participant, String reason) {
        if (participant.closed) return;
        participant.closed = true;
        for (Producer producer : new ArrayList<>(participant.producersByMid.values())) closeProducer(producer);
        for (Consumer consumer : new ArrayList<>(participant.consumers.values())) {
            consumer.producer.consumers.remove(consumer);
            consumer.closed = true;
            sfu.metrics.consumers--;
        }
        participant.consumers.clear();
        closeQuietly(participant.publishTransport, reason);
        closeQuietly(participant.subscribeTransport, reason);
        participants.remove(participant.peerId);
        log.debug("peer {} left media of room {}: {}", participant.peerId, id, reason);
    }

    private void closeQuietly(RtcTransport transport, String reason) {
        if (transport != null && !transport.isClosed()) transport.close(reason);
    }

    // ---- publishing ------------------------------------------------------------------------

    String publish(Participant participant, String offerText) throws SfuException {
        SfuSdp.PublishOffer offer;
        try {
            offer = SfuSdp.readPublishOffer(offerText);
        } catch (SdpParseException | IllegalArgumentException e) {
            throw new SfuException(SfuException.Reason.BAD_SDP, "the offer is not valid SDP: " + e.getMessage());
        }
        if (offer.iceUfrag() == null || offer.fingerprint() == null) {
            throw new SfuException(SfuException.Reason.BAD_SDP, "the offer has no a=ice-ufrag or a=fingerprint");
        }
        DtlsFingerprint fingerprint;
        try {
            fingerprint = DtlsFingerprint.parse(offer.fingerprint());
        } catch (IllegalArgumentException e) {
            throw new SfuException(SfuException.Reason.BAD_SDP, "bad a=fingerprint: " + e.getMessage());
        }
        if (participant.publishTransport == null || participant.publishTransport.isClosed()) {
            participant.publishTransport = sfu.newTransport(participant.peerId + "/pub", new PublishListener(participant));
            participant.publishTransport.start(offer.iceUfrag(), fingerprint);
        }
        List<String> offered = new ArrayList<>();
        for (Object line : offer.lines()) {
            if (!(line instanceof SfuSdp.PublishedTrack track)) continue;
            offered.add(track.mid());
            Producer producer = participant.producersByMid.get(track.mid());
            if (producer != null && producer.codec.equals(track.codec())) {
                if (track.ssrc() != 0) producer.ssrc = track.ssrc();
                if (track.rtxSsrc() != 0) producer.rtxSsrc = track.rtxSsrc();
                continue;
            }
            if (producer != null) closeProducer(producer);
            producer = new Producer(participant.peerId + "-" + track.mid(), participant, track.mid(), track.kind(),
                    track.codec(), track.ssrc(), track.rtxSsrc(), track.midExtensionId());
            participant.producersByMid.put(track.mid(), producer);
            sfu.metrics.producers++;
            for (Participant other : participants.values()) {
                if (other != participant && !other.closed) addConsumer(other, producer);
            }
        }
        for (Producer producer : new ArrayList<>(participant.producersByMid.values())) {
            if (!offered.contains(producer.mid)) closeProducer(producer);
        }
        for (Participant other : participants.values()) sendOfferIfNeeded(other);
        return SfuSdp.publishAnswer(offer, participant.publishTransport, sfu.settings().announcedAddress(), sfu.port(),
                ++participant.publishVersion);
    }

    private void closeProducer(Producer producer) {
        if (producer.closed) return;
        producer.closed = true;
        producer.owner.producersByMid.remove(producer.mid);
        sfu.metrics.producers--;
        for (Consumer consumer : new ArrayList<>(producer.consumers)) removeConsumer(consumer, true);
        producer.consumers.clear();
    }

    // ---- subscribing -----------------------------------------------------------------------

    private void addConsumer(Participant subscriber, Producer producer) {
        if (subscriber.consumers.containsKey(producer)) return;
        CodecChoice codec = CodecChoice.subscriberSide(producer.kind, producer.codec.name(), producer.codec.fmtp());
        long ssrc = uniqueSsrc(subscriber);
        long rtxSsrc = codec.rtxPt() >= 0 ? uniqueSsrc(subscriber) : 0;
        String mid = String.valueOf(subscriber.slots.size());
        Consumer consumer = new Consumer(producer, subscriber, mid, codec, ssrc, rtxSsrc);
        subscriber.slots.add(new SfuSdp.SubscriberSlot(mid, producer.kind, consumer));
        subscriber.consumers.put(producer, consumer);
        producer.consumers.add(consumer);
        subscriber.subscriptionChanged = true;
        sfu.metrics.consumers++;
        requestKeyFrame(producer);
    }

    private void removeConsumer(Consumer consumer, boolean renegotiate) {
        if (consumer.closed) return;
        consumer.closed = true;
        consumer.producer.consumers.remove(consumer);
        Participant subscriber = consumer.subscriber;
        subscriber.consumers.remove(consumer.producer);
        for (int i = 0; i < subscriber.slots.size(); i++) {
            SfuSdp.SubscriberSlot slot = subscriber.slots.get(i);
            if (slot.consumer() == consumer) subscriber.slots.set(i, new SfuSdp.SubscriberSlot(slot.mid(), slot.kind(), null));
        }
        subscriber.subscriptionChanged = true;
        sfu.metrics.consumers--;
        if (renegotiate && !subscriber.closed) sendOfferIfNeeded(subscriber);
    }

    private long uniqueSsrc(Participant subscriber) {
        while (true) {
            long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
            boolean taken = subscriber.consumers.values().stream().anyMatch(c -> c.ssrc == ssrc || c.rtxSsrc == ssrc);
            if (!taken && ssrc != SFU_SSRC) return ssrc;
        }
    }

    /** Sends a new subscribe offer if the subscription changed and no offer is outstanding. */
    private void sendOfferIfNeeded(Participant subscriber) {
        if (subscriber.closed || subscriber.awaitingAnswer || !subscriber.subscriptionChanged) return;
        if (subscriber.slots.isEmpty()) return;
        if (subscriber.subscribeTransport == null || subscriber.subscribeTransport.isClosed()) {
            if (!subscriber.hasLiveSlots()) return;
            // New ICE credentials: the browser restarts ICE and DTLS for the whole bundle.
            subscriber.subscribeTransport = sfu.newTransport(subscriber.peerId + "/sub", new SubscribeListener(subscriber));
        }
        subscriber.subscriptionChanged = false;
        subscriber.awaitingAnswer = true;
        long version = ++subscriber.offerVersion;
        String offer = SfuSdp.subscriberOffer(subscriber.slots, subscriber.subscribeTransport,
                sfu.settings().announcedAddress(), sfu.port(), version);
        sfu.events().subscriberOffer(id, subscriber.peerId, offer, version);
    }

    void subscriberAnswer(Participant subscriber, String answerText, long version) throws SfuException {
        if (!subscriber.awaitingAnswer || version != subscriber.offerVersion) {
            throw new SfuException(SfuException.Reason.STALE_ANSWER,
                    "answer to offer " + version + " but offer " + subscriber.offerVersion + " is current");
        }
        SfuSdp.RemoteTransport remote;
        try {
            remote = SfuSdp.readAnswer(answerText);
        } catch (SdpParseException | IllegalArgumentException e) {
            throw new SfuException(SfuException.Reason.BAD_SDP, "the answer is not valid SDP: " + e.getMessage());
        }
        subscriber.awaitingAnswer = false;
        RtcTransport transport = subscriber.subscribeTransport;
        if (transport != null && !transport.isClosed()) {
            if (remote.iceUfrag() == null || remote.fingerprint() == null) {
                throw new SfuException(SfuException.Reason.BAD_SDP, "the answer has no a=ice-ufrag or a=fingerprint");
            }
            try {
                transport.start(remote.iceUfrag(), DtlsFingerprint.parse(remote.fingerprint()));
            } catch (IllegalArgumentException e) {
                throw new SfuException(SfuException.Reason.BAD_SDP, "bad a=fingerprint: " + e.getMessage());
            }
        }
        sendOfferIfNeeded(subscriber);
    }

    // ---- media path ------------------------------------------------------------------------

    /** RTP from a publisher: find its producer, keep it for NACKs, forward to every consumer. */
    void onPublisherRtp(Participant publisher, byte[] buf, int off, int len) {
        Sfu.LoopBuffers b = sfu.buffers;
        try {
            b.view.wrap(buf, off, len);
        } catch (RtpParseException e) {
            sfu.rtcMalformed();
            return;
        }
        Producer producer = findProducer(publisher, b.view, buf);
        if (producer == null) {
            sfu.metrics.unknownSsrc.increment();
            return;
        }
        sfu.metrics.rtpIn.increment();
        sfu.metrics.bytesIn.increment(len);
        long ssrc = b.view.ssrc();
        if (ssrc == producer.rtxSsrc || b.view.payloadLength() == 0) {
            return; // RTX repairs and padding-only probes are for links the SFU terminates
        }
        int seq = b.view.sequenceNumber();
        producer.received(seq);
        // Strip header extensions and padding: the SFU re-numbers everything per subscriber and
        // negotiates no extensions towards them (RFC 8285 §4.2 ids are per connection).
        int headerLength = 12 + 4 * b.view.csrcCount();
        System.arraycopy(buf, off, b.stripped, 0, headerLength);
        b.stripped[0] &= (byte) 0xCF;
        int payloadLength = b.view.payloadLength();
        System.arraycopy(buf, b.view.payloadOffset(), b.stripped, headerLength, payloadLength);
        int strippedLength = headerLength + payloadLength;
        if (producer.cache != null) producer.cache.store(seq, b.stripped, 0, strippedLength);
        int payloadType = b.view.payloadType();
        boolean marker = b.view.marker();
        long timestamp = b.view.timestamp();
        long now = System.nanoTime();
        for (int i = 0, n = producer.consumers.size(); i < n; i++) {
            Consumer consumer = producer.consumers.get(i);
            RtcTransport transport = consumer.subscriber.subscribeTransport;
            if (transport == null || !transport.isConnected()) continue;
            int outPt = consumer.outputPayloadType(payloadType);
            if (outPt < 0) continue;
            if (sfu.dropForTest()) continue;
            System.arraycopy(b.stripped, 0, b.send, 0, strippedLength);
            rewrite(b.send, consumer.outputSequence(seq), consumer.ssrc, outPt, marker);
            if (transport.sendRtp(b.send, 0, strippedLength)) {
                consumer.packetsSent++;
                consumer.octetsSent += payloadLength;
                consumer.lastRtpTimestamp = timestamp;
                consumer.lastSendNanos = now;
                sfu.metrics.rtpOut.increment();
                sfu.metrics.bytesOut.increment(strippedLength);
            }
        }
    }

    private static void rewrite(byte[] p, int seq, long ssrc, int payloadType, boolean marker) {
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
    }

    /**
     * The producer a packet belongs to: by SSRC from the offer, else (simulcast or SSRC-less
     * offers) by the MID header extension (RFC 8843 §9.2), learning the SSRC for next time.
     */
    private Producer findProducer(Participant publisher, dev.parley.codec.rtp.RtpPacketView view, byte[] buf) {
        long ssrc = view.ssrc();
        for (Producer p : publisher.producersByMid.values()) {
            if (p.ssrc == ssrc || p.rtxSsrc == ssrc) return p;
        }
        for (Producer p : publisher.producersByMid.values()) {
            if (p.midExtensionId <= 0) continue;
            int at = view.findExtension(p.midExtensionId);
            if (at < 0) continue;
            int length = view.extensionLength(at);
            if (length != p.mid.length()) continue;
            boolean same = true;
            for (int i = 0; i < length && same; i++) same = buf[at + i] == p.mid.charAt(i);
            if (!same) continue;
            if (view.payloadType() == p.codec.rtxPt()) p.rtxSsrc = ssrc; else p.ssrc = ssrc;
            return p;
        }
        return null;
    }

    /** RTCP from a subscriber: NACKs answered from the cache, PLI/FIR relayed to the publisher. */
    void onSubscriberRtcp(Participant subscriber, byte[] buf, int off, int len) {
        RtcpCompoundIterator it = sfu.buffers.rtcp.reset(buf, off, len);
        try {
            while (it.next()) {
                int type = it.packetType();
                int format = it.countOrFormat();
                if (type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_NACK) {
                    Consumer consumer = consumerBySsrc(subscriber, it.mediaSsrc());
                    if (consumer != null) GenericNack.forEachLost(it, seq -> retransmit(consumer, seq));
                } else if (type == RtcpPacketType.PSFB
                        && (format == RtcpPacketType.FMT_PLI || format == RtcpPacketType.FMT_FIR)) {
                    long mediaSsrc = it.mediaSsrc();
                    Consumer consumer = consumerBySsrc(subscriber, mediaSsrc);
                    if (consumer == null && format == RtcpPacketType.FMT_FIR && it.packetLength() >= 20) {
                        // RFC 5104 §4.3.1: FIR names its target in the FCI, media SSRC is 0.
                        consumer = consumerBySsrc(subscriber, readU32(it.buffer(), it.packetOffset() + 12));
                    }
                    if (consumer != null) requestKeyFrame(consumer.producer);
                }
            }
        } catch (RtcpParseException e) {
            sfu.rtcMalformed();
        }
    }

    /** RTCP from a publisher: only sender reports matter (for our receiver reports' LSR/DLSR). */
    void onPublisherRtcp(Participant publisher, byte[] buf, int off, int len) {
        RtcpCompoundIterator it = sfu.buffers.rtcp.reset(buf, off, len);
        try {
            while (it.next()) {
                if (it.packetType() != RtcpPacketType.SR || it.packetLength() < 28) continue;
                long ssrc = readU32(it.buffer(), it.packetOffset() + 4);
                for (Producer p : publisher.producersByMid.values()) {
                    if (p.ssrc == ssrc) {
                        // RFC 3550 §6.4.1: LSR is the middle 32 bits of the NTP timestamp.
                        p.lastSrCompactNtp = readU32(it.buffer(), it.packetOffset() + 10);
                        p.lastSrArrivalNanos = System.nanoTime();
                    }
                }
            }
        } catch (RtcpParseException e) {
            sfu.rtcMalformed();
        }
    }

    private static Consumer consumerBySsrc(Participant subscriber, long ssrc) {
        for (Consumer c : subscriber.consumers.values()) {
            if (c.ssrc == ssrc) return c;
        }
        return null;
    }

    private static long readU32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    /** Resends one NACKed packet, as RTX (RFC 4588 §4) when negotiated. */
    private void retransmit(Consumer consumer, int outputSequence) {
        sfu.metrics.nacksReceived.increment();
        Producer producer = consumer.producer;
        RtcTransport transport = consumer.subscriber.subscribeTransport;
        if (producer.cache == null || transport == null || !transport.isConnected()) return;
        int inputSequence = consumer.inputSequence(outputSequence);
        byte[] packet = producer.cache.packet(inputSequence);
        if (packet == null) {
            sfu.metrics.retransmissionMisses.increment();
            return;
        }
        int length = producer.cache.length(inputSequence);
        byte[] out = sfu.buffers.send;
        int headerLength = 12 + 4 * (packet[0] & 0x0F);
        boolean marker = (packet[1] & 0x80) != 0;
        int outPt = consumer.outputPayloadType(packet[1] & 0x7F);
        if (outPt < 0) return;
        int sent;
        if (consumer.codec.rtxPt() >= 0) {
            System.arraycopy(packet, 0, out, 0, headerLength);
            out[headerLength] = (byte) (outputSequence >>> 8);
            out[headerLength + 1] = (byte) outputSequence;
            System.arraycopy(packet, headerLength, out, headerLength + 2, length - headerLength);
            consumer.rtxSequence = (consumer.rtxSequence + 1) & 0xFFFF;
            rewrite(out, consumer.rtxSequence, consumer.rtxSsrc, consumer.codec.rtxPt(), marker);
            sent = length + 2;
        } else {
            System.arraycopy(packet, 0, out, 0, length);
            rewrite(out, outputSequence, consumer.ssrc, outPt, marker);
            sent = length;
        }
        if (transport.sendRtp(out, 0, sent)) sfu.metrics.retransmissions.increment();
    }

    private void requestKeyFrame(Producer producer) {
        if (producer.kind != MediaKind.VIDEO) return;
        if (!producer.wantKeyFrame(System.nanoTime())) {
            sfu.metrics.keyFrameRequestsThrottled.increment();
            return;
        }
        sendPli(producer);
    }

    private void sendPli(Producer producer) {
        RtcTransport transport = producer.owner.publishTransport;
        if (transport == null || !transport.isConnected() || producer.ssrc == 0) return;
        byte[] out = sfu.buffers.rtcpOut;
        int length = new PictureLossIndication(SFU_SSRC, producer.ssrc).marshalTo(out, 0);
        if (transport.sendRtcp(out, 0, length)) sfu.metrics.keyFrameRequests.increment();
    }

    // ---- once a second -----------------------------------------------------------------------

    void tick(long nowNanos) {
        for (Participant p : new ArrayList<>(participants.values())) {
            if (p.publishTransport != null && !p.publishTransport.isClosed() && p.publishTransport.consentExpired(nowNanos)) {
                p.publishTransport.close("ICE consent expired");
            }
            if (p.subscribeTransport != null && !p.subscribeTransport.isClosed() && p.subscribeTransport.consentExpired(nowNanos)) {
                p.subscribeTransport.close("ICE consent expired");
            }
            for (Producer producer : p.producersByMid.values()) {
                if (producer.deferredKeyFrameDue(nowNanos) && producer.wantKeyFrame(nowNanos)) sendPli(producer);
            }
            sendReceiverReports(p, nowNanos);
            sendSenderReports(p, nowNanos);
        }
    }

    /** RFC 3550 §6.4.2 receiver reports to a publisher, one block per producer. */
    private void sendReceiverReports(Participant p, long nowNanos) {
        RtcTransport transport = p.publishTransport;
        if (transport == null || !transport.isConnected()) return;
        List<ReportBlock> blocks = new ArrayList<>();
        for (Producer producer : p.producersByMid.values()) {
            if (producer.packetsReceived == 0 || producer.ssrc == 0) continue;
            long highest = producer.sequences.highest();
            long expected = highest - producer.firstExtendedSeq + 1;
            long lost = Math.max(0, expected - producer.packetsReceived);
            long expectedInterval = expected - producer.expectedPrior;
            long receivedInterval = producer.packetsReceived - producer.receivedPrior;
            producer.expectedPrior = expected;
            producer.receivedPrior = producer.packetsReceived;
            long lostInterval = expectedInterval - receivedInterval;
            int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
            long dlsr = producer.lastSrArrivalNanos == 0 ? 0 : ((nowNanos - producer.lastSrArrivalNanos) * 65536L) / 1_000_000_000L;
            blocks.add(new ReportBlock(producer.ssrc, fraction, (int) Math.min(lost, 0x7FFFFF), highest & 0xFFFFFFFFL, 0,
                    producer.lastSrCompactNtp, producer.lastSrCompactNtp == 0 ? 0 : dlsr & 0xFFFFFFFFL));
        }
        if (blocks.isEmpty()) return;
        byte[] out = sfu.buffers.rtcpOut;
        int length = new ReceiverReport(SFU_SSRC, blocks).marshalTo(out, 0);
        transport.sendRtcp(out, 0, length);
    }

    /** RFC 3550 §6.4.1 sender reports to a subscriber, one per consumer that sent media. */
    private void sendSenderReports(Participant p, long nowNanos) {
        RtcTransport transport = p.subscribeTransport;
        if (transport == null || !transport.isConnected()) return;
        long ntp = ntpNow();
        for (Consumer consumer : p.consumers.values()) {
            if (consumer.packetsSent == 0) continue;
            long elapsed = nowNanos - consumer.lastSendNanos;
            long rtpTimestamp = (consumer.lastRtpTimestamp + elapsed * consumer.producer.kind.clockRate / 1_000_000_000L) & 0xFFFFFFFFL;
            byte[] out = sfu.buffers.rtcpOut;
            int length = new SenderReport(consumer.ssrc, ntp, rtpTimestamp, consumer.packetsSent & 0xFFFFFFFFL,
                    consumer.octetsSent & 0xFFFFFFFFL, List.of()).marshalTo(out, 0);
            transport.sendRtcp(out, 0, length);
        }
    }

    /** NTP time (RFC 5905: seconds since 1900 in the high 32 bits, fraction in the low). */
    private static long ntpNow() {
        long millis = System.currentTimeMillis();
        long seconds = millis / 1000 + 2_208_988_800L;
        long fraction = ((millis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    // ---- transport events ------------------------------------------------------------------

    private final class PublishListener implements RtcTransport.Listener {
        private final Participant participant;

        PublishListener(Participant participant) {
            this.participant = participant;
        }

        @Override
        public void onConnected(RtcTransport transport) {
            for (Producer producer : participant.producersByMid.values()) {
                if (!producer.consumers.isEmpty()) requestKeyFrame(producer);
            }
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            onPublisherRtp(participant, buf, off, len);
        }

        @Override
        public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
            onPublisherRtcp(participant, buf, off, len);
        }

        @Override
        public void onClosed(RtcTransport transport, String reason) {
            if (participant.closed || participant.publishTransport != transport) return;
            log.info("publish transport of {} in room {} closed: {}", participant.peerId, id, reason);
            participant.publishTransport = null;
            for (Producer producer : new ArrayList<>(participant.producersByMid.values())) closeProducer(producer);
            sfu.events().mediaClosed(id, participant.peerId, reason);
        }
    }

    private final class SubscribeListener implements RtcTransport.Listener {
        private final Participant participant;

        SubscribeListener(Participant participant) {
            this.participant = participant;
        }

        @Override
        public void onConnected(RtcTransport transport) {
            // Key frames sent before the subscriber could decrypt were lost: ask again.
            for (Consumer consumer : participant.consumers.values()) requestKeyFrame(consumer.producer);
        }

        @Override
        public void onRtp(RtcTransport transport, byte[] buf, int off, int len) {
            // a subscribe connection carries no media towards the SFU
        }

        @Override
        public void onRtcp(RtcTransport transport, byte[] buf, int off, int len) {
            onSubscriberRtcp(participant, buf, off, len);
        }

        @Override
        public void onClosed(RtcTransport transport, String reason) {
            if (participant.closed || participant.subscribeTransport != transport) return;
            log.info("subscribe transport of {} in room {} closed: {}", participant.peerId, id, reason);
            // Forget the transport first: nothing may be offered on it, and the next offer (when
            // a track appears) builds a new one with fresh ICE credentials.
            participant.subscribeTransport = null;
            participant.awaitingAnswer = false;
            for (Consumer consumer : new ArrayList<>(participant.consumers.values())) removeConsumer(consumer, false);
            sfu.events().mediaClosed(id, participant.peerId, reason);
        }
    }
}
