package dev.parley.sfu;

import java.util.ArrayList;
import java.util.List;

/**
 * One published track (one m-line of a publisher's offer): its codec, its RTP streams (one, or
 * one per simulcast layer) and the consumers that forward it. Lives on the media loop.
 */
final class Producer {
    final String id;
    final Participant owner;
    final String mid;
    final MediaKind kind;
    final CodecChoice codec;
    /** The publisher's id for the MID header extension, or 0: finds SSRCs the offer did not list. */
    final int midExtensionId;
    /** The mid as the bytes of the MID extension (RFC 8843 §15.2), to match packets without decoding. */
    final byte[] midBytes;
    /** The publisher's ids for rtp-stream-id and repaired-rtp-stream-id (RFC 8852), or 0. */
    final int ridExtensionId;
    final int repairedRidExtensionId;
    /** The publisher's id for the audio level extension (RFC 6464), or 0. */
    final int audioLevelExtensionId;
    /** In a=simulcast order; one entry without simulcast. */
    final ProducerStream[] streams;
    final List<Consumer> consumers = new ArrayList<>();
    boolean closed;

    Producer(String id, Participant owner, SfuSdp.PublishedTrack track) {
        this.id = id;
        this.owner = owner;
        this.mid = track.mid();
        this.kind = track.kind();
        this.codec = track.codec();
        this.midExtensionId = track.midExtensionId();
        this.midBytes = track.mid().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.ridExtensionId = track.ridExtensionId();
        this.repairedRidExtensionId = track.repairedRidExtensionId();
        this.audioLevelExtensionId = track.audioLevelExtensionId();
        List<String> rids = track.rids();
        if (rids.isEmpty()) {
            streams = new ProducerStream[] {new ProducerStream(this, 0, null, track.ssrc(), track.rtxSsrc())};
        } else {
            streams = new ProducerStream[rids.size()];
            for (int i = 0; i < streams.length; i++) streams[i] = new ProducerStream(this, i, rids.get(i), 0, 0);
        }
    }

    boolean simulcast() {
        return streams.length > 1 || streams[0].rid != null;
    }

    /** The stream whose media or RTX SSRC this is, or null. */
    ProducerStream streamBySsrc(long ssrc) {
        for (ProducerStream s : streams) {
            if (s.ssrc == ssrc || s.rtxSsrc == ssrc) return s;
        }
        return null;
    }

    /** Updates SSRCs a renegotiated offer lists (a track without simulcast). */
    void updateSsrcs(SfuSdp.PublishedTrack track) {
        if (simulcast()) return;
        if (track.ssrc() != 0) streams[0].ssrc = track.ssrc();
        if (track.rtxSsrc() != 0) streams[0].rtxSsrc = track.rtxSsrc();
    }
}
