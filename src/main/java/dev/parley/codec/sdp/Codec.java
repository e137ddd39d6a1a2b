package dev.parley.codec.sdp;

import java.util.List;
import java.util.Map;

/**
 * A payload type of a media section joined from its rtpmap, fmtp and rtcp-fb lines
 * (RFC 8866 §6.6, §6.15; RFC 4585 §4.2): the view an SFU needs to pick and map codecs.
 *
 * @param rtpmap null for a static payload type without an rtpmap line
 * @param fmtp null when absent
 */
public record Codec(int payloadType, Rtpmap rtpmap, Fmtp fmtp, List<RtcpFb> feedback) {
    public Codec {
        feedback = List.copyOf(feedback);
    }

    /** Encoding name as written (e.g. "VP8", "opus", "rtx"), or null without an rtpmap. */
    public String name() {
        return rtpmap == null ? null : rtpmap.encodingName();
    }

    /** For RTX and RED: the {@code apt=} payload type (RFC 4588 §8.6), or -1. */
    public int associatedPayloadType() {
        if (fmtp == null) {
            return -1;
        }
        String apt = fmtp.parameters().get("apt");
        try {
            return apt == null ? -1 : SdpText.parseInt(apt, 0, 127, "apt");
        } catch (SdpParseException e) {
            return -1;
        }
    }

    /** fmtp parameters, empty when there is no fmtp line. */
    public Map<String, String> parameters() {
        return fmtp == null ? Map.of() : fmtp.parameters();
    }

    /** True when an rtcp-fb line of this type (and parameter, if given) applies. */
    public boolean hasFeedback(String type, String parameter) {
        for (RtcpFb fb : feedback) {
            if (fb.type().equals(type) && java.util.Objects.equals(fb.parameter(), parameter)) {
                return true;
            }
        }
        return false;
    }
}
