package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A synthetic WebRTC participant that speaks Parley's real protocol end to end, without a
 * browser: signaling over {@link WsClient} ({@code join}, {@code sfu-join}, {@code sfu-publish},
 * answers to {@code sfu-offer}), its own SDP, ICE as the controlling full agent, the DTLS client
 * handshake and SRTP, on loopback UDP sockets. It publishes VP8-like and Opus-like RTP whose
 * payload carries the send time, and counts what the SFU forwards to it ({@link MediaReceiveStats}).
 * It never sends NACK, PLI or receiver reports.
 *
 * <p>Threads: signaling calls ({@link #publish}, {@link #sfuJoin}, {@link #awaitTracks},
 * {@link #leave}) from one thread; {@link #sendVideo}/{@link #sendAudio} from one (maybe other)
 * thread; each connection has its own receive thread.
 */
public final class SyntheticPeer implements AutoCloseable {
    private static final Duration SIGNALING_TIMEOUT = Duration.ofSeconds(15);
    /** RTP header + SRTP tag + slack: the largest packet {@link #sendVideo} builds. */
    static final int MAX_PAYLOAD = 1200;

    private final WsClient ws;
    private final String name;
    private final String room;
    private final String peerId;
    private final DtlsConfig dtlsConfig = DtlsConfig.defaults(DtlsCertificate.generate());
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private final MediaReceiveStats stats;

    private SyntheticConnection publishConnection;
    private SyntheticSdp.PublisherSsrcs ssrcs;
    private SyntheticConnection subscribeConnection;
    private List<SyntheticSdp.Track> tracks = List.of();
    private long answerVersion = 1;
    private volatile boolean transportOnce;

    private final byte[] sendBuffer = new byte[12 + MAX_PAYLOAD + 64];
    private int videoSequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private int audioSequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private volatile long packetsSent;
    /** RTP bytes {@link #sendLayer} sent, with the SRTP tag (AES_CM_128_HMAC_SHA1_80), without UDP/IP. */
    private volatile long bytesSent;
    private static final int SRTP_TAG = 10;
    private byte[][] layerRids;
    private long[] layerSsrcs;
    private int[] layerSequences;

    private SyntheticPeer(WsClient ws, String name, JsonNode joined, int verifyEvery) {
        this.ws = ws;
        this.name = name;
        this.room = joined.get("room").asText();
        this.peerId = joined.get("peerId").asText();
        this.stats = new MediaReceiveStats(verifyEvery);
    }

    /** Connects to signaling and joins {@code room} (a new room when null); decrypts every packet it receives. */
    public static SyntheticPeer join(URI signaling, String room, String name) {
        return join(signaling, room, name, 1);
    }

    /** As {@link #join(URI, String, String)}, decrypting only every {@code verifyEvery}-th received packet. */
    public static SyntheticPeer join(URI signaling, String room, String name, int verifyEvery) {
        WsClient ws = WsClient.connect(signaling);
        try {
            return new SyntheticPeer(ws, name, ws.join(room, name), verifyEvery);
        } catch (RuntimeException | AssertionError e) {
            ws.close();
            throw e;
        }
    }

    public String room() {
        return room;
    }

    public String peerId() {
        return peerId;
    }

    public MediaReceiveStats stats() {
        return stats;
    }

    /** SSRCs this peer announced in its publish offer (null before {@link #publish}). */
    public SyntheticSdp.PublisherSsrcs publishedSsrcs() {
        return ssrcs;
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** Bytes of the simulcast layers sent so far (RTP + SRTP tag, without UDP/IP headers). */
    public long layerBytesSent() {
        return bytesSent;
    }

    /** Publishes one video track (the benchmark's stream). */
    public void publish() {
        publish(false, true);
    }

    /** Offers {@code audio}/{@code video} sendonly tracks, applies the SFU's answer, runs ICE and DTLS. */
    public void publish(boolean audio, boolean video) {
        publish(audio, video ? List.of() : null);
    }

    /** As {@link #publish(boolean, boolean)}; with {@code simulcast} the video goes as the three layers q/h/f ({@link #sendVideoLayer}). */
    public void publish(boolean audio, boolean video, boolean simulcast) {
        if (simulcast) publishSimulcast(audio, SyntheticSdp.SIMULCAST_RIDS);
        else publish(audio, video);
    }

    /**
     * Offers a video track sent as simulcast layers named {@code rids} (low to high; see
     * {@link #sendLayer}), with an audio track when {@code audio}; runs ICE and DTLS.
     */
    public void publishSimulcast(boolean audio, List<String> rids) {
        if (rids.isEmpty()) throw new IllegalArgumentException("no rids");
        publish(audio, rids);
    }

    /** {@code rids}: null for no video, empty for one plain video stream. */
    private void publish(boolean audio, List<String> rids) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean video = rids != null;
        ssrcs = new SyntheticSdp.PublisherSsrcs(audio ? random.nextLong(1, 1L << 32) : 0,
                video ? random.nextLong(1, 1L << 32) : 0, video ? random.nextLong(1, 1L << 32) : 0);
        if (video && !rids.isEmpty()) {
            layerRids = new byte[rids.size()][];
            layerSsrcs = new long[rids.size()];
            layerSequences = new int[rids.size()];
            for (int i = 0; i < rids.size(); i++) {
                layerRids[i] = rids.get(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                layerSsrcs[i] = random.nextLong(1, 1L << 32);
                layerSequences[i] = random.nextInt(1 << 16);
            }
        }
        publishConnection = new SyntheticConnection(name + "-pub", dtlsConfig, (c, buf, len, at) -> { });
        String offer = SyntheticSdp.publishOffer(publishConnection, peerId, ssrcs, video ? rids : List.of(), sessionId, "actpass");
        JsonNode response = ws.request(WsClient.msg("sfu-publish", "sdp", offer));
        if (!response.path("type").asText().equals("response")) throw new IllegalStateException(name + ": sfu-publish refused: " + response);
        String answer = response.path("result").path("sdp").asText();
        SyntheticSdp.Remote remote = SyntheticSdp.readRemote(dev.parley.codec.sdp.SessionDescription.parse(answer));
        if (remote == null) throw new IllegalStateException(name + ": the SFU accepted no track: " + answer);
        publishConnection.connect(remote, SIGNALING_TIMEOUT);
    }

    /**
     * From now on, answers carry the ICE/DTLS attributes in the first bundled m-line only (RFC 8843
     * §7.3.1), which keeps answers to large rooms small; returns this peer.
     */
    public SyntheticPeer answerWithTransportOnce() {
        transportOnce = true;
        return this;
    }

    /** Sends any signaling request (e.g. {@code sfu-constraints}) and returns the response or error. */
    public JsonNode request(com.fasterxml.jackson.databind.node.ObjectNode message) {
        return ws.request(message);
    }

    /** Joins the room's media without publishing: the SFU will offer every published track. */
    public void sfuJoin() {
        JsonNode response = ws.request(WsClient.msg("sfu-join"));
        if (!response.path("type").asText().equals("response")) throw new IllegalStateException(name + ": sfu-join refused: " + response);
    }

    /**
     * Answers the SFU's subscribe offers until one carries at least {@code count} live tracks and
     * the subscribe connection is up; returns the tracks of the last offer answered.
     */
    public List<SyntheticSdp.Track> awaitTracks(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tracks.size() < count || subscribeConnection == null || !subscribeConnection.isConnected()) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            JsonNode offer;
            try {
                offer = ws.next(m -> m.path("type").asText().equals("sfu-offer"), left);
            } catch (AssertionError e) {
                throw new IllegalStateException(name + ": has " + tracks.size() + " of " + count + " tracks after " + timeout, e);
            }
            answer(offer.get("sdp").asText(), offer.get("version").asLong());
        }
        return tracks;
    }

    private void answer(String offerText, long version) {
        SyntheticSdp.SubscribeOffer offer = SyntheticSdp.readSubscribeOffer(offerText);
        boolean fresh = false;
        if (offer.remote() != null && (subscribeConnection == null
                || !offer.remote().iceUfrag().equals(subscribeConnection.remoteUfrag()))) {
            if (subscribeConnection != null) subscribeConnection.close();
            subscribeConnection = new SyntheticConnection(name + "-sub", dtlsConfig, stats::onPacket);
            fresh = true;
        }
        stats.expect(offer.tracks().stream().mapToLong(SyntheticSdp.Track::ssrc).toArray());
        String answer = SyntheticSdp.subscribeAnswer(subscribeConnection, offer, sessionId, ++answerVersion, transportOnce);
        JsonNode response = ws.request(WsClient.msg("sfu-answer", "sdp", answer, "version", version));
        if (!response.path("type").asText().equals("response")) throw new IllegalStateException(name + ": sfu-answer refused: " + response);
        tracks = offer.tracks();
        if (fresh) subscribeConnection.connect(offer.remote(), SIGNALING_TIMEOUT);
    }

    /**
     * Sends one VP8-like RTP packet with {@code payloadBytes} of payload (≥ 23), marked as a frame
     * end. Every packet starts a 640x480 key frame (RFC 7741 §4.3, RFC 6386 §9.1), so the SFU may
     * start or switch forwarding at any of them.
     */
    public boolean sendVideo(int payloadBytes) {
        if (publishConnection == null || ssrcs.video() == 0) throw new IllegalStateException("not publishing video");
        synchronized (sendBuffer) {
            videoSequence = (videoSequence + 1) & 0xFFFF;
            long now = System.nanoTime();
            // VP8 payload descriptor (RFC 7741 §4.2): S=1, partition 0.
            int length = build(SyntheticSdp.VP8_PT, videoSequence, now / 100_000 * 9, ssrcs.video(), (byte) 0x10, payloadBytes, now, -1);
            return sent(publishConnection.sendRtp(sendBuffer, length));
        }
    }

    /**
     * Sends one VP8-like frame of simulcast layer {@code layer} (an index into the rids given to
     * {@link #publishSimulcast}) as one RTP packet with {@code payloadBytes} of payload (≥ 23),
     * carrying the MID and rtp-stream-id header extensions (RFC 8285 §4.2 one-byte form). A
     * {@code keyFrame} starts with a VP8 key frame header of {@code width}x{@code height} (RFC 6386
     * §9.1) so the SFU learns the layer's size and may switch to it; other frames are inter frames
     * (P bit set, RFC 6386 §9.1).
     */
    public boolean sendLayer(int layer, int payloadBytes, boolean keyFrame, int width, int height) {
        if (publishConnection == null || layerSsrcs == null) throw new IllegalStateException("not publishing simulcast");
        synchronized (sendBuffer) {
            int sequence = layerSequences[layer] = (layerSequences[layer] + 1) & 0xFFFF;
            long now = System.nanoTime();
            byte[] rid = layerRids[layer];
            byte[] mid = ssrcs.audio() != 0 ? MID_1 : MID_0;
            byte[] b = sendBuffer;
            int elements = 2 + rid.length + 2 + mid.length;
            int words = (elements + 3) / 4;
            b[0] = (byte) 0x90;
            b[1] = (byte) (0x80 | SyntheticSdp.VP8_PT);
            b[2] = (byte) (sequence >>> 8);
            b[3] = (byte) sequence;
            writeInt(b, 4, (int) (now / 100_000 * 9));
            writeInt(b, 8, (int) layerSsrcs[layer]);
            b[12] = (byte) 0xBE;
            b[13] = (byte) 0xDE;
            b[14] = (byte) (words >>> 8);
            b[15] = (byte) words;
            int at = 16;
            b[at++] = (byte) (SyntheticSdp.MID_EXT_ID << 4 | (mid.length - 1));
            for (byte x : mid) b[at++] = x;
            b[at++] = (byte) (SyntheticSdp.RID_EXT_ID << 4 | (rid.length - 1));
            for (byte x : rid) b[at++] = x;
            while (at < 16 + 4 * words) b[at++] = 0;
            int header = at;
            b[header] = 0x10; // VP8 payload descriptor (RFC 7741 §4.2): S=1, partition 0
            if (keyFrame) {
                System.arraycopy(VP8_KEY_FRAME_640X480, 0, b, header + 1, VP8_KEY_FRAME_640X480.length);
                b[header + 7] = (byte) width;
                b[header + 8] = (byte) ((width >>> 8) & 0x3F);
                b[header + 9] = (byte) height;
                b[header + 10] = (byte) ((height >>> 8) & 0x3F);
            } else {
                java.util.Arrays.fill(b, header + 1, header + MediaReceiveStats.TIMESTAMP_OFFSET, (byte) 0);
                b[header + 1] = 0x01; // RFC 6386 §9.1: frame type bit 1 = inter frame
            }
            int payload = Math.max(12 + MediaReceiveStats.TIMESTAMP_OFFSET, Math.min(MAX_PAYLOAD, payloadBytes));
            int stamp = header + MediaReceiveStats.TIMESTAMP_OFFSET;
            writeInt(b, stamp, (int) (now >>> 32));
            writeInt(b, stamp + 4, (int) now);
            writeInt(b, stamp + 8, MediaReceiveStats.MAGIC);
            boolean ok = sent(publishConnection.sendRtp(b, header + payload));
            if (ok) bytesSent += header + payload + SRTP_TAG;
            return ok;
        }
    }

    /** Key frame sizes of the q, h and f layers. */
    private static final int[][] LAYER_SIZES = {{160, 120}, {320, 240}, {640, 480}};

    /** One packet of layer {@code layer} (0 = q, 1 = h, 2 = f) as a key frame of that layer's size. */
    public boolean sendVideoLayer(int layer, int payloadBytes) {
        return sendLayer(layer, payloadBytes, true, LAYER_SIZES[layer][0], LAYER_SIZES[layer][1]);
    }

    /** Sends one RTP packet on the video SSRC, next in sequence, with exactly this payload (bad-input tests). */
    public boolean sendRawVideo(byte[] payload) {
        synchronized (sendBuffer) {
            videoSequence = (videoSequence + 1) & 0xFFFF;
            build(SyntheticSdp.VP8_PT, videoSequence, System.nanoTime() / 100_000 * 9, ssrcs.video(), (byte) 0, 0, System.nanoTime(), -1);
            System.arraycopy(payload, 0, sendBuffer, 12, payload.length);
            return sent(publishConnection.sendRtp(sendBuffer, 12 + payload.length));
        }
    }

    private static final byte[] MID_0 = {'0'};
    private static final byte[] MID_1 = {'1'};

    /** Sends one Opus-like RTP packet (20 ms frame) with {@code payloadBytes} of payload (≥ 23). */
    public boolean sendAudio(int payloadBytes) {
        return sendAudio(payloadBytes, -1);
    }

    /**
     * As {@link #sendAudio(int)}, carrying the RFC 6464 audio level {@code levelDbov} (0 loudest,
     * 127 silence; -1 for none) in a one-byte header extension (RFC 8285 §4.2).
     */
    public boolean sendAudio(int payloadBytes, int levelDbov) {
        if (publishConnection == null || ssrcs.audio() == 0) throw new IllegalStateException("not publishing audio");
        synchronized (sendBuffer) {
            audioSequence = (audioSequence + 1) & 0xFFFF;
            long now = System.nanoTime();
            // Opus TOC (RFC 6716 §3.1): config 15 (hybrid FB 20 ms), mono, one frame.
            int length = build(SyntheticSdp.OPUS_PT, audioSequence, now / 1_000_000 * 48, ssrcs.audio(), (byte) 0x78, payloadBytes, now, levelDbov);
            return sent(publishConnection.sendRtp(sendBuffer, length));
        }
    }

    private boolean sent(boolean ok) {
        if (ok) packetsSent++;
        return ok;
    }

    private static final byte[] VP8_KEY_FRAME_640X480 = {
        0x10, 0, 0, (byte) 0x9D, 0x01, 0x2A, (byte) 0x80, 0x02, (byte) 0xE0, 0x01};

    private int build(int payloadType, int sequence, long timestamp, long ssrc, byte firstPayloadByte, int payloadBytes,
            long sendNanos, int audioLevel) {
        return buildRtp(sendBuffer, payloadType, sequence, timestamp, ssrc, firstPayloadByte, payloadBytes, sendNanos, audioLevel);
    }

    /** Writes one synthetic RTP packet into {@code b} (see {@link #sendVideo}); returns its length. */
    static int buildRtp(byte[] b, int payloadType, int sequence, long timestamp, long ssrc, byte firstPayloadByte, int payloadBytes,
            long sendNanos, int audioLevel) {
        int payload = Math.max(12 + MediaReceiveStats.TIMESTAMP_OFFSET, Math.min(MAX_PAYLOAD, payloadBytes));
        b[0] = (byte) (audioLevel >= 0 ? 0x90 : 0x80);
        b[1] = (byte) (0x80 | payloadType);
        b[2] = (byte) (sequence >>> 8);
        b[3] = (byte) sequence;
        writeInt(b, 4, (int) timestamp);
        writeInt(b, 8, (int) ssrc);
        int header = 12;
        if (audioLevel >= 0) {
            // RFC 8285 §4.2 one-byte header: 0xBEDE, one word, element id/len-1, value, padding
            b[12] = (byte) 0xBE;
            b[13] = (byte) 0xDE;
            b[14] = 0;
            b[15] = 1;
            b[16] = (byte) (SyntheticSdp.AUDIO_LEVEL_EXT_ID << 4);
            b[17] = dev.parley.codec.opus.AudioLevel.encode(audioLevel, audioLevel < 127);
            b[18] = 0;
            b[19] = 0;
            header = 20;
        }
        b[header] = firstPayloadByte;
        if (payloadType == SyntheticSdp.VP8_PT) {
            System.arraycopy(VP8_KEY_FRAME_640X480, 0, b, header + 1, VP8_KEY_FRAME_640X480.length);
        } else {
            java.util.Arrays.fill(b, header + 1, header + MediaReceiveStats.TIMESTAMP_OFFSET, (byte) 0);
        }
        int at = header + MediaReceiveStats.TIMESTAMP_OFFSET;
        writeInt(b, at, (int) (sendNanos >>> 32));
        writeInt(b, at + 4, (int) sendNanos);
        writeInt(b, at + 8, MediaReceiveStats.MAGIC);
        return header + payload;
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Consent freshness on both connections (RFC 7675); call at least every few seconds. */
    public void keepAlive() {
        SyntheticConnection pub = publishConnection;
        SyntheticConnection sub = subscribeConnection;
        if (pub != null) pub.keepAlive();
        if (sub != null) sub.keepAlive();
    }

    /** The publish connection (null before {@link #publish}). */
    public SyntheticConnection publishConnection() {
        return publishConnection;
    }

    /** The subscribe connection (null before the first offer with tracks). */
    public SyntheticConnection subscribeConnection() {
        return subscribeConnection;
    }

    /** Leaves the room (signaling {@code leave}, which ends the peer's SFU media) and closes everything. */
    public void leave() {
        try {
            if (!ws.isClosed()) ws.request(WsClient.msg("leave"));
        } catch (RuntimeException | AssertionError e) {
            // the socket may be gone; closing below ends the session after its grace period
        }
        close();
    }

    @Override
    public void close() {
        if (publishConnection != null) publishConnection.close();
        if (subscribeConnection != null) subscribeConnection.close();
        ws.close();
    }

    @Override
    public String toString() {
        return "SyntheticPeer[" + name + " " + peerId + " in " + room + "]";
    }
}
