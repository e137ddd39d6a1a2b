package dev.parley.codec.sdp;

/** A property attribute with no value (RFC 8866 §5.13), e.g. rtcp-mux, ice-lite, end-of-candidates. */
public record FlagAttribute(String attributeName) implements Attribute {
    public static final FlagAttribute RTCP_MUX = new FlagAttribute("rtcp-mux");
    public static final FlagAttribute RTCP_RSIZE = new FlagAttribute("rtcp-rsize");
    public static final FlagAttribute ICE_LITE = new FlagAttribute("ice-lite");
    public static final FlagAttribute END_OF_CANDIDATES = new FlagAttribute("end-of-candidates");
    public static final FlagAttribute EXTMAP_ALLOW_MIXED = new FlagAttribute("extmap-allow-mixed");

    public FlagAttribute {
        SdpText.requireName(attributeName, "attribute name");
    }

    @Override
    public String attributeValue() {
        return null;
    }
}
