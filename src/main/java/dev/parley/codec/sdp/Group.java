package dev.parley.codec.sdp;

import java.util.List;

/** {@code a=group} (RFC 5888 §5); WebRTC uses {@code BUNDLE} (RFC 9143 §7.1) with the bundled mids. */
public record Group(String semantics, List<String> mids) implements Attribute {
    public static final String BUNDLE = "BUNDLE";

    public Group {
        SdpText.requireToken(semantics, "group semantics");
        mids = List.copyOf(mids);
    }

    static Group parse(String value) {
        List<String> f = SdpText.fields(value, "a=group");
        return new Group(SdpText.token(f.get(0), "group semantics"), f.subList(1, f.size()));
    }

    @Override
    public String attributeName() {
        return "group";
    }

    @Override
    public String attributeValue() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
