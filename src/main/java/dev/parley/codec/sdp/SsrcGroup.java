package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=ssrc-group:<semantics> <ssrc>...} (RFC 5576 §4.2): {@code FID} pairs a media SSRC
 * with its RTX SSRC (RFC 4588 §8.1), {@code SIM} lists SSRC-based simulcast layers.
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) implements Attribute {
    public static final String FID = "FID";
    public static final String SIM = "SIM";

    public SsrcGroup {
        SdpText.requireToken(semantics, "ssrc-group semantics");
        ssrcs = List.copyOf(ssrcs);
    }

    static SsrcGroup parse(String value) {
        List<String> f = SdpText.fields(value, "a=ssrc-group");
        List<Long> ssrcs = new ArrayList<>();
        for (String s : f.subList(1, f.size())) {
            ssrcs.add(SdpText.parseLong(s, 0xFFFFFFFFL, "SSRC"));
        }
        return new SsrcGroup(SdpText.token(f.get(0), "ssrc-group semantics"), ssrcs);
    }

    @Override
    public String attributeName() {
        return "ssrc-group";
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }
}
