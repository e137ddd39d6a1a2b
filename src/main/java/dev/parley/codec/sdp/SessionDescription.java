package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session description (RFC 8866 §5) as WebRTC uses it (JSEP, RFC 8829): session lines and
 * attributes, then Unified Plan media sections. {@link #parse} accepts CRLF or LF line endings;
 * {@link #toString} writes CRLF. Lines are kept in order and unknown attributes verbatim, so
 * parsing a browser's description and writing it back gives the same bytes.
 *
 * @param lines session-level {@code i= u= e= p= c= b= t= r= z= k=} lines in order
 */
public record SessionDescription(Origin origin, String sessionName, List<SdpLine> lines,
                                 List<Attribute> attributes, List<MediaDescription> media) {

    public SessionDescription {
        SdpText.requireLineSafe(sessionName);
        if (sessionName.isEmpty()) {
            throw new IllegalArgumentException("s= must not be empty (RFC 8866 §5.3); use \"-\"");
        }
        lines = List.copyOf(lines);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /** Parses an SDP blob; throws {@link SdpParseException} naming the bad line. */
    public static SessionDescription parse(String sdp) {
        String[] raw = sdp.split("\n", -1);
        Origin origin = null;
        String sessionName = null;
        List<SdpLine> sessionLines = new ArrayList<>();
        List<Attribute> sessionAttributes = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaDescription current = null;
        List<SdpLine> mediaLines = new ArrayList<>();
        List<Attribute> mediaAttributes = new ArrayList<>();
        int expect = 0; // 0: v=, 1: o=, 2: s=, 3: anything else
        for (int n = 0; n < raw.length; n++) {
            String line = raw[n];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (n == raw.length - 1 || (n == raw.length - 2 && raw[n + 1].isEmpty())) {
                    continue; // the final line ending
                }
                throw new SdpParseException("line " + (n + 1) + ": empty line");
            }
            try {
                if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                    throw new SdpParseException("not a <type>=<value> line");
                }
                char type = line.charAt(0);
                String value = line.substring(2);
                if (value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                    throw new SdpParseException("control character in line");
                }
                switch (expect) {
                    case 0 -> {
                        if (type != 'v' || !value.equals("0")) {
                            throw new SdpParseException("first line must be v=0");
                        }
                        expect = 1;
                        continue;
                    }
                    case 1 -> {
                        if (type != 'o') {
                            throw new SdpParseException("o= must follow v=");
                        }
                        origin = Origin.parse(value);
                        expect = 2;
                        continue;
                    }
                    case 2 -> {
                        if (type != 's' || value.isEmpty()) {
                            throw new SdpParseException("non-empty s= must follow o=");
                        }
                        sessionName = value;
                        expect = 3;
                        continue;
                    }
                    default -> { }
                }
                switch (type) {
                    case 'v', 'o', 's' -> throw new SdpParseException("repeated " + type + "=");
                    case 'm' -> {
                        if (current != null) {
                            media.add(current.withLines(mediaLines).withAttributes(mediaAttributes));
                        }
                        current = MediaDescription.parseMediaLine(value);
                        mediaLines = new ArrayList<>();
                        mediaAttributes = new ArrayList<>();
                    }
                    case 'a' -> (current == null ? sessionAttributes : mediaAttributes).add(Attribute.parse(value));
                    default -> {
                        // RFC 8866 §5: a= lines come last in each section; keeping that order is
                        // what lets the model write the text back unchanged.
                        if (!(current == null ? sessionAttributes : mediaAttributes).isEmpty()) {
                            throw new SdpParseException(type + "= line after a= lines");
                        }
                        (current == null ? sessionLines : mediaLines).add(new SdpLine(type, value));
                    }
                }
            } catch (SdpParseException e) {
                throw new SdpParseException("line " + (n + 1) + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // Record invariants double as validation of parsed values.
                throw new SdpParseException("line " + (n + 1) + ": " + e.getMessage());
            }
        }
        if (expect < 3) {
            throw new SdpParseException("missing v=, o= or s=");
        }
        if (current != null) {
            media.add(current.withLines(mediaLines).withAttributes(mediaAttributes));
        }
        return new SessionDescription(origin, sessionName, sessionLines, sessionAttributes, media);
    }

    /** The description as SDP text with CRLF line endings (RFC 8866 §5). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("v=0\r\n");
        sb.append("o=").append(origin.format()).append("\r\n");
        sb.append("s=").append(sessionName).append("\r\n");
        for (SdpLine l : lines) {
            sb.append(l.format()).append("\r\n");
        }
        for (Attribute a : attributes) {
            sb.append("a=").append(a.format()).append("\r\n");
        }
        for (MediaDescription m : media) {
            m.appendTo(sb);
        }
        return sb.toString();
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(origin, sessionName, lines, attributes, newMedia);
    }

    public SessionDescription withAttributes(List<Attribute> newAttributes) {
        return new SessionDescription(origin, sessionName, lines, newAttributes, media);
    }

    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(newOrigin, sessionName, lines, attributes, media);
    }

    /** The BUNDLE group (RFC 9143), if any. */
    public Optional<Group> bundleGroup() {
        for (Attribute a : attributes) {
            if (a instanceof Group g && g.semantics().equals(Group.BUNDLE)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** {@code a=ice-lite} at session level (RFC 8839 §5.3). */
    public boolean iceLite() {
        return has(attributes, "ice-lite");
    }

    /** The media section with {@code a=mid:<mid>}, if any. */
    public Optional<MediaDescription> mediaByMid(String mid) {
        return media.stream().filter(m -> mid.equals(m.mid())).findFirst();
    }

    /** Session-level value of {@code name}, or null (flags give ""). */
    public String attribute(String name) {
        return firstValue(attributes, name);
    }

    /**
     * The fingerprint for a section: media-level if present, else session-level
     * (RFC 8122 §5 allows either).
     */
    public Optional<Fingerprint> fingerprint(MediaDescription m) {
        Optional<Fingerprint> local = m.fingerprint();
        if (local.isPresent()) {
            return local;
        }
        return attributes.stream().filter(Fingerprint.class::isInstance).map(Fingerprint.class::cast).findFirst();
    }

    static String firstValue(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.attributeName().equals(name)) {
                String v = a.attributeValue();
                return v == null ? "" : v;
            }
        }
        return null;
    }

    static boolean has(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.attributeName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
