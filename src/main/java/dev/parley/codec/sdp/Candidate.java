package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * An ICE candidate, {@code a=candidate} (RFC 8839 §5.1). Also the format of the
 * {@code candidate} string trickled over signaling (with or without the {@code candidate:}
 * prefix). Extension pairs such as {@code generation 0}, {@code tcptype passive} (RFC 6544
 * §4.5) or {@code network-cost 10} are kept in order.
 *
 * @param relatedPort -1 when absent
 * @param relatedAddress null when absent
 */
public record Candidate(String foundation, int component, String transport, long priority, String address,
                        int port, String type, String relatedAddress, int relatedPort,
                        List<Extension> extensions) implements Attribute {

    /** One {@code name value} extension pair after the standard fields. */
    public record Extension(String name, String value) {
        public Extension {
            SdpText.requireToken(name, "candidate extension name");
            SdpText.requireToken(value, "candidate extension value");
        }
    }

    public Candidate {
        SdpText.requireToken(foundation, "foundation");
        if (foundation.length() > 32) {
            throw new IllegalArgumentException("foundation longer than 32 characters");
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component id out of range");
        }
        SdpText.requireToken(transport, "transport");
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("priority out of range");
        }
        SdpText.requireToken(address, "connection address");
        if (port < 0 || port > 65535 || relatedPort < -1 || relatedPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        SdpText.requireToken(type, "candidate type");
        if (relatedAddress != null) {
            SdpText.requireToken(relatedAddress, "related address");
        }
        extensions = List.copyOf(extensions);
    }

    /** A host candidate with no related address or extensions: what an ICE-lite server offers. */
    public static Candidate host(String foundation, int component, String transport, long priority,
                                 String address, int port) {
        return new Candidate(foundation, component, transport, priority, address, port, "host", null, -1, List.of());
    }

    /** Parses a candidate value, accepting an optional leading {@code candidate:}. */
    public static Candidate parse(String value) {
        return parseValue(value.startsWith("candidate:") ? value.substring("candidate:".length()) : value);
    }

    /** Parses the text after {@code a=candidate:} exactly as written. */
    static Candidate parseValue(String v) {
        List<String> f = SdpText.fields(v, "a=candidate");
        if (f.size() < 8 || !f.get(6).equals("typ")) {
            throw new SdpParseException("a=candidate is missing required fields");
        }
        int i = 8;
        String relatedAddress = null;
        int relatedPort = -1;
        if (i + 1 < f.size() && f.get(i).equals("raddr")) {
            relatedAddress = SdpText.token(f.get(i + 1), "raddr");
            i += 2;
        }
        if (i + 1 < f.size() && f.get(i).equals("rport")) {
            relatedPort = SdpText.parseInt(f.get(i + 1), 0, 65535, "rport");
            i += 2;
        }
        if ((f.size() - i) % 2 != 0) {
            throw new SdpParseException("a=candidate extension without a value");
        }
        List<Extension> extensions = new ArrayList<>();
        for (; i < f.size(); i += 2) {
            extensions.add(new Extension(SdpText.token(f.get(i), "extension"), SdpText.token(f.get(i + 1), "extension")));
        }
        String foundation = SdpText.token(f.get(0), "foundation");
        if (foundation.length() > 32) {
            throw new SdpParseException("foundation longer than 32 characters");
        }
        return new Candidate(foundation, SdpText.parseInt(f.get(1), 1, 256, "component id"),
                SdpText.token(f.get(2), "transport"), SdpText.parseLong(f.get(3), 0xFFFFFFFFL, "priority"),
                SdpText.token(f.get(4), "address"), SdpText.parseInt(f.get(5), 0, 65535, "port"),
                SdpText.token(f.get(7), "candidate type"), relatedAddress, relatedPort, extensions);
    }

    /** The value of extension {@code name} (e.g. "tcptype"), or null. */
    public String extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return e.value();
            }
        }
        return null;
    }

    @Override
    public String attributeName() {
        return "candidate";
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder();
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        for (Extension e : extensions) {
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return sb.toString();
    }
}
