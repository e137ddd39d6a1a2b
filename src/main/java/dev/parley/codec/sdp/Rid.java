package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=rid:<id> <send|recv>[ <restrictions>]} (RFC 8851 §10): names one RTP stream,
 * e.g. one simulcast layer. Restrictions ({@code pt=…;max-width=…}) are kept verbatim.
 *
 * @param restrictions null when absent
 */
public record Rid(String id, String direction, String restrictions) implements Attribute {
    public Rid {
        SdpText.requireToken(id, "rid id");
        if (!direction.equals("send") && !direction.equals("recv")) {
            throw new IllegalArgumentException("rid direction must be send or recv");
        }
        if (restrictions != null) {
            SdpText.requireLineSafe(restrictions);
        }
    }

    public Rid(String id, String direction) {
        this(id, direction, null);
    }

    static Rid parse(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=rid without a direction");
        }
        String rest = value.substring(space + 1);
        int second = rest.indexOf(' ');
        String direction = second < 0 ? rest : rest.substring(0, second);
        if (!direction.equals("send") && !direction.equals("recv")) {
            throw new SdpParseException("a=rid direction must be send or recv");
        }
        return new Rid(SdpText.token(value.substring(0, space), "rid id"), direction,
                second < 0 ? null : rest.substring(second + 1));
    }

    /** Payload types from the {@code pt=} restriction, empty when unrestricted. */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>();
        if (restrictions == null) {
            return out;
        }
        for (String r : restrictions.split(";")) {
            if (r.startsWith("pt=")) {
                for (String pt : r.substring(3).split(",")) {
                    out.add(SdpText.parseInt(pt, 0, 127, "rid payload type"));
                }
            }
        }
        return out;
    }

    @Override
    public String attributeName() {
        return "rid";
    }

    @Override
    public String attributeValue() {
        return id + " " + direction + (restrictions == null ? "" : " " + restrictions);
    }
}
