package dev.parley.sfu;

import dev.parley.codec.rtcp.GenericNack;
import dev.parley.codec.rtcp.PictureLossIndication;
import dev.parley.codec.rtcp.ReceiverReport;
import dev.parley.codec.rtcp.ReportBlock;
import dev.parley.codec.rtcp.RtcpCompoundIterator;
import dev.parley.codec.rtcp.RtcpPacketType;
import dev.parley.codec.rtcp.RtcpParseException;
import dev.parley.codec.rtcp.SenderReport;
import dev.parley.codec.h264.H264ParseException;
import dev.parley.codec.h264.H264Payload;
import dev.parley.codec.opus.AudioLevel;
import dev.parley.codec.opus.OpusParseException;
import dev.parley.codec.rtp.RtpPacketView;
import dev.parley.codec.rtp.RtpParseException;
import dev.parley.codec.sdp.SdpParseException;
import dev.parley.codec.vp8.Vp8ParseException;
import dev.parley.codec.vp8.Vp8PayloadView;
import dev.parley.rtc.RtcTransport;
import dev.parley.rtc.dtls.DtlsFingerprint;
import dev.parley.sfu.bwe.BitrateAllocator;
import dev.parley.sfu.bwe.SubscriberCongestionControl;
import dev.parley.sfu.bwe.TransportCcReceiver;
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
    final DominantSpeaker speakers = new DominantSpeaker();
    /** Peer ids, most recent dominant speaker first: who gets video first under last-N. */
    final List<String> speakerOrder = new ArrayList<>();
    private long lastTickNanos = System.nanoTime();

    Router(String id, Sfu sfu) {
        this.id = id;
        this.sfu = sfu;
    }

    // ---- membership --------------------------------------------------------------------------

    Participant join(String peerId, boolean restart) {
        Participant existing = participants.get(peerId);
        if (existing != null && !restart) return existing;
        if (existing != null) leave(existing, "media restarted");
        Participant participant = new Participant(peerId, this);
        participants.put(peerId, participant);
        for (Participant other : participants.values()) {
            if (other == participant) continue;
            for (Producer producer : other.producersByMid.values()) addConsumer(participant, producer);
        }
        sendOfferIfNeeded(participant);
        String dominant = speakers.dominant();
        if (dominant != null) sfu.events().dominantSpeaker(id, dominant); // so the newcomer knows
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
        speakerOrder.remove(participant.peerId);
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
            participant.publishFeedback = null;
        }
        // One transport-wide sequence space per BUNDLE transport: every m-line offers the same id.
        participant.publishTransportCcId = offer.lines().stream().filter(l -> l instanceof SfuSdp.PublishedTrack)
                .mapToInt(l -> ((SfuSdp.PublishedTrack) l).transportCcExtensionId()).filter(id -> id > 0).findFirst().orElse(0);
        if (participant.publishTransportCcId > 0 && participant.publishFeedback == null) {
            participant.publishFeedback = new TransportCcReceiver(SFU_SSRC);
        }
        List<String> offered = new ArrayList<>();
        for (Object line : offer.lines()) {
            if (!(line instanceof SfuSdp.PublishedTrack track)) continue;
            offered.add(track.mid());
            Producer producer = participant.producersByMid.get(track.mid());
            if (producer != null && producer.codec.equals(track.codec())
                    && producer.streams.length == Math.max(1, track.rids().size())) {
                producer.updateSsrcs(track);
                continue;
            }
            if (producer != null) closeProducer(producer);
            producer = new Producer(participant.peerId + "-" + track.mid(), participant, track);
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
        speakers.remove(producer);
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
        if (producer.kind == MediaKind.VIDEO) allocate(subscriber, System.nanoTime());
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
        if (subscriber.congestion != null) subscriber.congestion.removeConsumer(consumer.ssrc);
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
            subscriber.congestion = null;
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
            if (subscriber.congestion == null) {
                // 0 when the browser dropped the extension: the estimate then follows its REMB.
                subscriber.congestion = new SubscriberCongestionControl(remote.transportCcExtensionId(),
                        ThreadLocalRandom.current().nextInt(1 << 16));
            }
        }
        sendOfferIfNeeded(subscriber);
    }

    // ---- media path ------------------------------------------------------------------------

    /**
     * RTP from a publisher: find its stream (layer), keep it for NACKs, read its audio level,
     * and forward it to every consumer whose current or target layer it is.
     */
    void onPublisherRtp(Participant publisher, byte[] buf, int off, int len) {
        Sfu.LoopBuffers b = sfu.buffers;
        try {
            b.view.wrap(buf, off, len);
        } catch (RtpParseException e) {
            sfu.rtcMalformed();
            return;
        }
        long now = System.nanoTime();
        if (publisher.publishFeedback != null) recordTransportSequence(publisher, b.view, now);
        ProducerStream stream = findStream(publisher, b.view);
        if (stream == null) {
            sfu.metrics.unknownSsrc.increment();
            return;
        }
        Producer producer = stream.producer;
        sfu.metrics.rtpIn.increment();
        sfu.metrics.bytesIn.increment(len);
        long ssrc = b.view.ssrc();
        int payloadLength = b.view.payloadLength();
        if (ssrc == stream.rtxSsrc || payloadLength == 0) {
            return; // RTX repairs and padding-only probes are for links the SFU terminates
        }
        int seq = b.view.sequenceNumber();
        // Strip header extensions and padding: the SFU re-numbers everything per subscriber and
        // negotiates no extensions towards them (RFC 8285 §4.2 ids are per connection).
        int headerLength = 12 + 4 * b.view.csrcCount();
        System.arraycopy(buf, off, b.stripped, 0, headerLength);
        b.stripped[0] &= (byte) 0xCF;
        System.arraycopy(buf, b.view.payloadOffset(), b.stripped, headerLength, payloadLength);
        int strippedLength = headerLength + payloadLength;
        boolean vp8 = isVp8(producer);
        boolean keyFrame = true;
        int pictureId = -1;
        int tl0PicIdx = -1;
        int tid = -1;
        boolean layerSync = false;
        if (producer.kind == MediaKind.VIDEO) {
            if (vp8) {
                try {
                    b.vp8.wrap(b.stripped, headerLength, payloadLength);
                } catch (Vp8ParseException e) {
                    sfu.metrics.malformedPayload.increment();
                    return;
                }
                keyFrame = b.vp8.isKeyFrame();
                pictureId = b.vp8.pictureId();
                tl0PicIdx = b.vp8.tl0PicIdx();
                tid = b.vp8.temporalLayerId();
                layerSync = b.vp8.layerSync();
                if (keyFrame) {
                    stream.width = b.vp8.keyFrameWidth();
                    stream.height = b.vp8.keyFrameHeight();
                }
            } else {
                try {
                    keyFrame = H264Payload.isKeyFrame(b.stripped, headerLength, payloadLength);
                } catch (H264ParseException e) {
                    sfu.metrics.malformedPayload.increment();
                    return;
                }
            }
        }
        // Only a packet whose payload parsed is counted, cached for NACKs, or heard.
        stream.received(seq, payloadLength, tid, now);
        if (stream.cache != null) stream.cache.store(seq, b.stripped, 0, strippedLength);
        if (producer.audioLevelExtensionId > 0) readAudioLevel(producer, b.view, now);
        int payloadType = b.view.payloadType();
        boolean marker = b.view.marker();
        long timestamp = b.view.timestamp();
        for (int i = 0, n = producer.consumers.size(); i < n; i++) {
            Consumer consumer = producer.consumers.get(i);
            RtcTransport transport = consumer.subscriber.subscribeTransport;
            if (transport == null || !transport.isConnected()) continue;
            int outPt = consumer.outputPayloadType(payloadType);
            if (outPt < 0) continue;
            long switches = consumer.layerSwitches;
            if (!consumer.accept(stream.index, seq, timestamp, keyFrame, pictureId, tl0PicIdx, tid, layerSync, now)) continue;
            if (consumer.layerSwitches != switches) sfu.metrics.layerSwitches.increment();
            if (sfu.dropForTest()) continue;
            Participant subscriber = consumer.subscriber;
            // The transport-wide sequence number (when negotiated) goes in as the only extension.
            int sendLength = prepare(subscriber, b.stripped, strippedLength, b.send);
            int payloadAt = sendLength - payloadLength;
            int outSeq = consumer.outputSequence(seq);
            long outTs = consumer.outputTimestamp(timestamp);
            rewrite(b.send, outSeq, outTs, consumer.ssrc, outPt, marker);
            int outPictureId = -1;
            int outTl0PicIdx = -1;
            if (vp8 && (pictureId >= 0 || tl0PicIdx >= 0)) {
                b.vp8.wrap(b.send, payloadAt, payloadLength);
                if (pictureId >= 0) b.vp8.setPictureId(outPictureId = consumer.outputPictureId(pictureId));
                if (tl0PicIdx >= 0) b.vp8.setTl0PicIdx(outTl0PicIdx = consumer.outputTl0PicIdx(tl0PicIdx));
            }
            if (send(subscriber, transport, b.send, sendLength, now)) {
                consumer.sent(outSeq, outTs, outPictureId, outTl0PicIdx, now);
                consumer.packetsSent++;
                consumer.octetsSent += payloadLength;
                consumer.lastRtpTimestamp = outTs;
                consumer.lastSendNanos = now;
                sfu.metrics.rtpOut.increment();
                sfu.metrics.bytesOut.increment(sendLength);
                pad(subscriber, transport, now);
            }
        }
    }

    // ---- congestion control ----------------------------------------------------------------

    /**
     * Publisher side: records the packet's transport-wide sequence number
     * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) with its arrival time, RTX and
     * padding-only probes included, and sends the feedback (§3.1) when due, so the publishing
     * browser's estimator can ramp its send bitrate.
     */
    private void recordTransportSequence(Participant publisher, RtpPacketView view, long nowNanos) {
        int transportSequence = view.transportSequenceNumber(publisher.publishTransportCcId);
        if (transportSequence < 0) return;
        publisher.publishFeedback.onPacket(transportSequence, view.ssrc(), nowNanos / 1000);
        if (publisher.publishFeedback.feedbackDue(nowNanos / 1000)) sendTransportFeedback(publisher, nowNanos);
    }

    private void sendTransportFeedback(Participant publisher, long nowNanos) {
        RtcTransport transport = publisher.publishTransport;
        if (transport == null || !transport.isConnected()) return;
        byte[] out = sfu.buffers.rtcpOut;
        for (var feedback : publisher.publishFeedback.buildFeedback(nowNanos / 1000)) {
            int length = feedback.marshalTo(out, 0);
            if (transport.sendRtcp(out, 0, length)) sfu.metrics.transportFeedbackSent.increment();
        }
    }

    /**
     * Copies an outgoing RTP packet into {@code dst} as it leaves towards {@code subscriber}:
     * with the next transport-wide sequence number when that was negotiated.
     */
    private static int prepare(Participant subscriber, byte[] src, int length, byte[] dst) {
        SubscriberCongestionControl cc = subscriber.congestion;
        if (cc == null) {
            System.arraycopy(src, 0, dst, 0, length);
            return length;
        }
        return cc.prepare(src, 0, length, dst, 0);
    }

    /**
     * Sends a prepared packet and records it for the send-side estimate. The capacity test
     * hook drops what exceeds its rate here, after the packet got its transport-wide number,
     * as a policer on the path would: the subscriber's feedback reports it lost.
     *
     * @return true if the packet left the SFU (even if the test hook then lost it)
     */
    private boolean send(Participant subscriber, RtcTransport transport, byte[] packet, int length, long nowNanos) {
        boolean left = overCapForTest(subscriber, length, nowNanos) || transport.sendRtp(packet, 0, length);
        if (left && subscriber.congestion != null) subscriber.congestion.onSent(length, nowNanos / 1000);
        return left;
    }

    /** Token bucket of the capacity hook (100 ms deep): true when this packet does not fit. */
    private boolean overCapForTest(Participant subscriber, int length, long nowNanos) {
        long cap = subscriber.capBpsForTest;
        if (cap <= 0) return false;
        long nowMicros = nowNanos / 1000;
        double depth = cap / 8.0 / 10;
        subscriber.capTokens = Math.min(depth, subscriber.capTokens + cap / 8e6 * (nowMicros - subscriber.capClockMicros));
        subscriber.capClockMicros = nowMicros;
        if (subscriber.capTokens < length) {
            sfu.metrics.simulatedLoss().increment();
            return true;
        }
        subscriber.capTokens -= length;
        return false;
    }

    /**
     * While the allocator probes, pads the subscriber's stream up to the probe rate with
     * padding-only packets (RFC 3550 §5.1) on the RTX SSRC of one of its videos, as libwebrtc
     * probes: the receiver drops them after reporting their transport-wide sequence numbers.
     */
    private void pad(Participant subscriber, RtcTransport transport, long nowNanos) {
        SubscriberCongestionControl cc = subscriber.congestion;
        long nowMicros = nowNanos / 1000;
        if (cc == null || !cc.probing(nowMicros)) return;
        Consumer carrier = null;
        for (Consumer c : subscriber.consumers.values()) {
            if (c.codec.rtxPt() >= 0 && c.currentLayer >= 0 && c.packetsSent > 0) {
                carrier = c;
                break;
            }
        }
        if (carrier == null) return;
        Sfu.LoopBuffers b = sfu.buffers;
        for (int due = cc.paddingBytesDue(nowMicros); due > 0; due = cc.paddingBytesDue(nowMicros)) {
            carrier.rtxSequence = (carrier.rtxSequence + 1) & 0xFFFF;
            int length = SubscriberCongestionControl.writePadding(b.scratch, 0, carrier.codec.rtxPt(), carrier.rtxSequence,
                    carrier.lastRtpTimestamp, carrier.rtxSsrc, Math.min(SubscriberCongestionControl.MAX_PADDING_BYTES, due));
            int sendLength = prepare(subscriber, b.scratch, length, b.send);
            if (!send(subscriber, transport, b.send, sendLength, nowNanos)) return;
            sfu.metrics.paddingBytes.increment(sendLength);
        }
    }

    private static boolean isVp8(Producer producer) {
        return producer.kind == MediaKind.VIDEO && producer.codec.name().equalsIgnoreCase("VP8");
    }

    /** RFC 6464 client-to-mixer audio level, fed to dominant speaker detection. */
    private void readAudioLevel(Producer producer, RtpPacketView view, long now) {
        int raw;
        try {
            raw = AudioLevel.rawValue(view, producer.audioLevelExtensionId);
        } catch (OpusParseException e) {
            sfu.metrics.malformedPayload.increment();
            return;
        }
        if (raw >= 0) speakers.level(producer, AudioLevel.level(raw), now);
    }

    private static void rewrite(byte[] p, int seq, long timestamp, long ssrc, int payloadType, boolean marker) {
        p[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (timestamp >>> 24);
        p[5] = (byte) (timestamp >>> 16);
        p[6] = (byte) (timestamp >>> 8);
        p[7] = (byte) timestamp;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
    }

    /**
     * The stream a packet belongs to: by SSRC from the offer or learnt before, else by the MID
     * header extension (RFC 8843 §9.2) and, for simulcast, the rtp-stream-id or
     * repaired-rtp-stream-id extension (RFC 8852 §3, RFC 8853 §5.2), learning the SSRC for next time.
     */
    private ProducerStream findStream(Participant publisher, RtpPacketView view) {
        long ssrc = view.ssrc();
        for (Producer p : publisher.producersByMid.values()) {
            ProducerStream s = p.streamBySsrc(ssrc);
            if (s != null) return s;
        }
        for (Producer p : publisher.producersByMid.values()) {
            if (p.midExtensionId <= 0 || !view.extensionEquals(p.midExtensionId, p.midBytes)) continue;
            boolean repair = view.payloadType() == p.codec.rtxPt();
            if (!p.simulcast()) {
                if (repair) p.streams[0].rtxSsrc = ssrc; else p.streams[0].ssrc = ssrc;
                return p.streams[0];
            }
            int ridId = repair ? p.repairedRidExtensionId : p.ridExtensionId;
            for (ProducerStream s : p.streams) {
                if (ridId <= 0 || !view.extensionEquals(ridId, s.ridBytes)) continue;
                if (repair) s.rtxSsrc = ssrc; else s.ssrc = ssrc;
                return s;
            }
            return null;
        }
        // Simulcast packets after the first few carry only the rid, not the mid.
        for (Producer p : publisher.producersByMid.values()) {
            if (!p.simulcast()) continue;
            boolean repair = view.payloadType() == p.codec.rtxPt();
            int ridId = repair ? p.repairedRidExtensionId : p.ridExtensionId;
            if (ridId <= 0) continue;
            for (ProducerStream s : p.streams) {
                if (!view.extensionEquals(ridId, s.ridBytes)) continue;
                if (repair) s.rtxSsrc = ssrc; else s.ssrc = ssrc;
                return s;
            }
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
                boolean congestionFeedback = type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_TRANSPORT_CC
                        || type == RtcpPacketType.PSFB && format == RtcpPacketType.FMT_AFB;
                if (congestionFeedback) {
                    if (subscriber.congestion != null && subscriber.congestion.onRtcp(it.parse(), System.nanoTime() / 1000)) {
                        sfu.metrics.congestionFeedback.increment();
                    }
                } else if (type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_NACK) {
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
                    if (consumer != null) requestKeyFrame(consumer);
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
                    ProducerStream s = p.streamBySsrc(ssrc);
                    if (s != null && s.ssrc == ssrc) {
                        // RFC 3550 §6.4.1: LSR is the middle 32 bits of the NTP timestamp.
                        s.lastSrCompactNtp = readU32(it.buffer(), it.packetOffset() + 10);
                        s.lastSrArrivalNanos = System.nanoTime();
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

    /** Resends one NACKed packet, as RTX (RFC 4588 §4) when negotiated, rewritten like the original. */
    private void retransmit(Consumer consumer, int outputSequence) {
        sfu.metrics.nacksReceived.increment();
        Producer producer = consumer.producer;
        RtcTransport transport = consumer.subscriber.subscribeTransport;
        int inputSequence = consumer.inputSequence(outputSequence);
        if (inputSequence < 0 || transport == null || !transport.isConnected()) return;
        RetransmissionCache cache = producer.streams[consumer.currentLayer].cache;
        byte[] packet = cache == null ? null : cache.packet(inputSequence);
        if (packet == null) {
            sfu.metrics.retransmissionMisses.increment();
            return;
        }
        int length = cache.length(inputSequence);
        byte[] out = sfu.buffers.scratch;
        int headerLength = 12 + 4 * (packet[0] & 0x0F);
        boolean marker = (packet[1] & 0x80) != 0;
        int outPt = consumer.outputPayloadType(packet[1] & 0x7F);
        if (outPt < 0) return;
        long outTs = consumer.outputTimestamp(readU32(packet, 4));
        int payloadAt;
        int sent;
        if (consumer.codec.rtxPt() >= 0) {
            System.arraycopy(packet, 0, out, 0, headerLength);
            out[headerLength] = (byte) (outputSequence >>> 8);
            out[headerLength + 1] = (byte) outputSequence;
            System.arraycopy(packet, headerLength, out, headerLength + 2, length - headerLength);
            consumer.rtxSequence = (consumer.rtxSequence + 1) & 0xFFFF;
            rewrite(out, consumer.rtxSequence, outTs, consumer.rtxSsrc, consumer.codec.rtxPt(), marker);
            payloadAt = headerLength + 2;
            sent = length + 2;
        } else {
            System.arraycopy(packet, 0, out, 0, length);
            rewrite(out, outputSequence, outTs, consumer.ssrc, outPt, marker);
            payloadAt = headerLength;
            sent = length;
        }
        if (isVp8(producer)) {
            try {
                Vp8PayloadView vp8 = sfu.buffers.vp8.wrap(out, payloadAt, sent - payloadAt);
                if (vp8.hasPictureId()) vp8.setPictureId(consumer.retransmittedPictureId(outputSequence, vp8.pictureId()));
                if (vp8.tl0PicIdx() >= 0) vp8.setTl0PicIdx(consumer.outputTl0PicIdx(vp8.tl0PicIdx()));
            } catch (Vp8ParseException e) {
                return; // cannot happen: the packet was parsed when it arrived
            }
        }
        Participant subscriber = consumer.subscriber;
        int sendLength = prepare(subscriber, out, sent, sfu.buffers.send);
        if (send(subscriber, transport, sfu.buffers.send, sendLength, System.nanoTime())) sfu.metrics.retransmissions.increment();
    }

    /** A subscriber lost its picture: ask for a key frame of the layer it is (or will be) forwarded. */
    private void requestKeyFrame(Consumer consumer) {
        int layer = consumer.targetLayer >= 0 ? consumer.targetLayer : consumer.currentLayer;
        if (layer >= 0) requestKeyFrame(consumer.producer.streams[layer]);
    }

    private void requestKeyFrame(ProducerStream stream) {
        if (stream.producer.kind != MediaKind.VIDEO) return;
        if (!stream.wantKeyFrame(System.nanoTime())) {
            sfu.metrics.keyFrameRequestsThrottled.increment();
            return;
        }
        sendPli(stream);
    }

    private void sendPli(ProducerStream stream) {
        RtcTransport transport = stream.producer.owner.publishTransport;
        if (transport == null || !transport.isConnected() || stream.ssrc == 0) return;
        byte[] out = sfu.buffers.rtcpOut;
        int length = new PictureLossIndication(SFU_SSRC, stream.ssrc).marshalTo(out, 0);
        if (transport.sendRtcp(out, 0, length)) sfu.metrics.keyFrameRequests.increment();
    }

    // ---- allocation, five times a second ----------------------------------------------------

    /** Runs dominant speaker detection, then every subscriber's video allocation. */
    void allocate(long nowNanos) {
        String speaker = speakers.decide(nowNanos);
        if (speaker != null) {
            speakerOrder.remove(speaker);
            speakerOrder.add(0, speaker);
            sfu.events().dominantSpeaker(id, speaker);
            sfu.metrics.speakerChanges.increment();
        }
        for (Participant p : participants.values()) allocate(p, nowNanos);
    }

    /**
     * Sets the target layer of each of the subscriber's videos: {@link VideoAllocator} ranks them
     * and caps each (tile size, last-N, stage); once the subscribe transport has a bandwidth
     * estimate, {@link SubscriberCongestionControl#allocate} shares it among them in that order
     * (layers go down before video pauses, and come back after probing). Audio is reserved first.
     */
    void allocate(Participant subscriber, long nowNanos) {
        if (subscriber.closed) return;
        List<Consumer> videos = new ArrayList<>();
        long audioBps = 0;
        for (Consumer c : subscriber.consumers.values()) {
            if (c.producer.kind == MediaKind.VIDEO) {
                videos.add(c);
            } else {
                audioBps += c.producer.streams[0].bitrate * 21 / 20;
            }
        }
        RtcTransport transport = subscriber.subscribeTransport;
        boolean connected = transport != null && transport.isConnected();
        List<VideoAllocator.Choice> ceilings = VideoAllocator.allocate(videos, subscriber.constraints, speakerOrder, nowNanos);
        SubscriberCongestionControl cc = subscriber.congestion;
        BitrateAllocator.Allocation shared = cc == null || !connected || !cc.estimating() ? null
                : cc.allocate(VideoAllocator.demands(ceilings, nowNanos), audioBps, nowNanos / 1000);
        List<String> forwarded = new ArrayList<>();
        for (VideoAllocator.Choice choice : ceilings) {
            Consumer c = choice.consumer();
            VideoAllocator.Step step = shared == null ? null : VideoAllocator.stepOf(c.producer, shared.layerOf(c.ssrc), nowNanos);
            int layer = shared == null ? choice.layer() : step == null ? -1 : step.stream();
            // Without an estimate every temporal layer; with one, what the chosen rung allows.
            c.targetTemporal = step == null ? Consumer.ALL_TEMPORAL : step.maxTemporal();
            if (layer >= 0) forwarded.add(c.producer.id);
            if (c.targetLayer != layer) {
                c.targetLayer = layer;
                if (layer < 0) c.stopForwarding();
            }
            // Waiting to start or switch: the target layer's next key frame is what is needed.
            if (connected && layer >= 0 && c.currentLayer != layer && c.producer.streams[layer].active(nowNanos)) {
                requestKeyFrame(c.producer.streams[layer]);
            }
        }
        // Only the forwarded set is reported (at most last-N ids): in a large room the paused
        // list would grow with every join and be sent to everyone each time.
        if (!forwarded.equals(subscriber.reportedForwarded)) {
            subscriber.reportedForwarded = forwarded;
            sfu.events().forwarding(id, subscriber.peerId, forwarded);
        }
    }

    /** The layer each of the subscriber's videos is forwarded in: rid (or "on"), or "paused". */
    Map<String, String> forwardedLayers(Participant subscriber) {
        Map<String, String> layers = new LinkedHashMap<>();
        for (Consumer c : subscriber.consumers.values()) {
            if (c.producer.kind != MediaKind.VIDEO) continue;
            String rid = c.currentLayer < 0 ? null : c.producer.streams[c.currentLayer].rid;
            layers.put(c.producer.id, c.currentLayer < 0 ? "paused" : rid == null ? "on" : rid);
        }
        return layers;
    }

    // ---- once a second -----------------------------------------------------------------------

    void tick(long nowNanos) {
        long window = nowNanos - lastTickNanos;
        lastTickNanos = nowNanos;
        for (Participant p : new ArrayList<>(participants.values())) {
            if (p.publishTransport != null && !p.publishTransport.isClosed() && p.publishTransport.consentExpired(nowNanos)) {
                p.publishTransport.close("ICE consent expired");
            }
            if (p.subscribeTransport != null && !p.subscribeTransport.isClosed() && p.subscribeTransport.consentExpired(nowNanos)) {
                p.subscribeTransport.close("ICE consent expired");
            }
            for (Producer producer : p.producersByMid.values()) {
                for (ProducerStream stream : producer.streams) {
                    if (stream.deferredKeyFrameDue(nowNanos) && stream.wantKeyFrame(nowNanos)) sendPli(stream);
                    stream.closeRateWindow(window);
                }
            }
            if (p.publishFeedback != null && p.publishFeedback.feedbackDue(nowNanos / 1000)) sendTransportFeedback(p, nowNanos);
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
            for (ProducerStream stream : producer.streams) addReportBlock(blocks, stream, nowNanos);
        }
        if (blocks.isEmpty()) return;
        byte[] out = sfu.buffers.rtcpOut;
        int length = new ReceiverReport(SFU_SSRC, blocks).marshalTo(out, 0);
        transport.sendRtcp(out, 0, length);
    }

    /** One RFC 3550 §6.4.1 report block for a stream that has received packets. */
    private static void addReportBlock(List<ReportBlock> blocks, ProducerStream stream, long nowNanos) {
        if (stream.packetsReceived == 0 || stream.ssrc == 0) return;
        long highest = stream.sequences.highest();
        long expected = highest - stream.firstExtendedSeq + 1;
        long lost = Math.max(0, expected - stream.packetsReceived);
        long expectedInterval = expected - stream.expectedPrior;
        long receivedInterval = stream.packetsReceived - stream.receivedPrior;
        stream.expectedPrior = expected;
        stream.receivedPrior = stream.packetsReceived;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        long dlsr = stream.lastSrArrivalNanos == 0 ? 0 : ((nowNanos - stream.lastSrArrivalNanos) * 65536L) / 1_000_000_000L;
        blocks.add(new ReportBlock(stream.ssrc, fraction, (int) Math.min(lost, 0x7FFFFF), highest & 0xFFFFFFFFL, 0,
                stream.lastSrCompactNtp, stream.lastSrCompactNtp == 0 ? 0 : dlsr & 0xFFFFFFFFL));
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
                if (producer.consumers.isEmpty()) continue;
                for (ProducerStream stream : producer.streams) requestKeyFrame(stream);
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
            for (Consumer consumer : participant.consumers.values()) requestKeyFrame(consumer);
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
            participant.congestion = null;
            participant.awaitingAnswer = false;
            for (Consumer consumer : new ArrayList<>(participant.consumers.values())) removeConsumer(consumer, false);
            sfu.events().mediaClosed(id, participant.peerId, reason);
        }
    }
}
