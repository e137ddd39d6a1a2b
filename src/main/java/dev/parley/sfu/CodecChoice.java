package dev.parley.sfu;

/**
 * The codec of a track: on the publisher's side its payload types as offered, on the subscriber
 * side the SFU's fixed ones (a BUNDLE needs one payload type per codec across all m-lines,
 * RFC 8843 §9.1, so subscribers get the SFU's numbering and each consumer maps payload types).
 *
 * @param name     encoding name as in a=rtpmap (opus, VP8, H264)
 * @param pt       payload type of the media
 * @param rtxPt    payload type of its RTX stream (RFC 4588), or -1
 * @param fmtp     format parameters to announce, or null
 */
record CodecChoice(String name, int pt, int rtxPt, String fmtp) {
    /** Payload types the SFU offers to subscribers. */
    static CodecChoice subscriberSide(MediaKind kind, String name, String fmtp) {
        if (kind == MediaKind.AUDIO) return new CodecChoice(name, 111, -1, fmtp);
        return name.equalsIgnoreCase("H264") ? new CodecChoice(name, 102, 103, fmtp) : new CodecChoice(name, 96, 97, fmtp);
    }
}
