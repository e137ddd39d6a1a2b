package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast:send <streams> recv <streams>} (RFC 8853 §5.1). Streams are separated by
 * {@code ;}, alternative formats of one stream by {@code ,}, and {@code ~} marks a paused rid.
 *
 * @param send empty when there is no send direction
 * @param receive empty when there is no recv direction
 * @param receiveFirst whether {@code recv} was written before {@code send}, for byte-stable output
 */
public record Simulcast(List<List<Stream>> send, List<List<Stream>> receive, boolean receiveFirst)
        implements Attribute {

    /** One rid in a simulcast stream description. */
    public record Stream(String rid, boolean paused) {
        public Stream {
            SdpText.requireToken(rid, "simulcast rid");
            if (rid.startsWith("~") || rid.indexOf(',') >= 0 || rid.indexOf(';') >= 0) {
                throw new IllegalArgumentException("bad simulcast rid");
            }
        }

        @Override
        public String toString() {
            return paused ? "~" + rid : rid;
        }
    }

    public Simulcast {
        send = copy(send);
        receive = copy(receive);
        if (send.isEmpty() && receive.isEmpty()) {
            throw new IllegalArgumentException("simulcast needs a send or recv direction");
        }
        // Order only matters when both directions are present; normalise so equal values compare equal.
        receiveFirst = receiveFirst && !send.isEmpty() && !receive.isEmpty();
    }

    /** {@code send r1;r2;...}: the usual offer of a simulcast publisher. */
    public static Simulcast sendOnly(String... rids) {
        List<List<Stream>> streams = new ArrayList<>();
        for (String rid : rids) {
            streams.add(List.of(new Stream(rid, false)));
        }
        return new Simulcast(streams, List.of(), false);
    }

    /** The rids in order, first alternative of each stream (paused ones included). */
    public List<String> rids(boolean sendDirection) {
        List<String> out = new ArrayList<>();
        for (List<Stream> alternatives : sendDirection ? send : receive) {
            out.add(alternatives.get(0).rid());
        }
        return out;
    }

    private static List<List<Stream>> copy(List<List<Stream>> in) {
        List<List<Stream>> out = new ArrayList<>();
        for (List<Stream> alternatives : in) {
            if (alternatives.isEmpty()) {
                throw new IllegalArgumentException("empty simulcast stream");
            }
            out.add(List.copyOf(alternatives));
        }
        return List.copyOf(out);
    }

    static Simulcast parse(String value) {
        List<String> f = SdpText.fields(value, "a=simulcast");
        if (f.size() != 2 && f.size() != 4) {
            throw new SdpParseException("a=simulcast needs one or two direction/stream pairs");
        }
        List<List<Stream>> send = List.of();
        List<List<Stream>> receive = List.of();
        boolean receiveFirst = false;
        for (int i = 0; i < f.size(); i += 2) {
            List<List<Stream>> streams = parseStreams(f.get(i + 1));
            switch (f.get(i)) {
                case "send" -> {
                    if (!send.isEmpty()) {
                        throw new SdpParseException("a=simulcast repeats send");
                    }
                    send = streams;
                }
                case "recv" -> {
                    if (!receive.isEmpty()) {
                        throw new SdpParseException("a=simulcast repeats recv");
                    }
                    receive = streams;
                    receiveFirst = i == 0;
                }
                default -> throw new SdpParseException("a=simulcast direction must be send or recv");
            }
        }
        return new Simulcast(send, receive, receiveFirst);
    }

    private static List<List<Stream>> parseStreams(String text) {
        List<List<Stream>> out = new ArrayList<>();
        for (String stream : text.split(";", -1)) {
            List<Stream> alternatives = new ArrayList<>();
            for (String alt : stream.split(",", -1)) {
                boolean paused = alt.startsWith("~");
                String rid = paused ? alt.substring(1) : alt;
                if (rid.isEmpty() || rid.startsWith("~")) {
                    throw new SdpParseException("empty rid in a=simulcast");
                }
                alternatives.add(new Stream(SdpText.token(rid, "simulcast rid"), paused));
            }
            out.add(alternatives);
        }
        return out;
    }

    private static String formatStreams(List<List<Stream>> streams) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < streams.size(); i++) {
            if (i > 0) {
                sb.append(';');
            }
            List<Stream> alternatives = streams.get(i);
            for (int j = 0; j < alternatives.size(); j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(alternatives.get(j));
            }
        }
        return sb.toString();
    }

    @Override
    public String attributeName() {
        return "simulcast";
    }

    @Override
    public String attributeValue() {
        String s = send.isEmpty() ? null : "send " + formatStreams(send);
        String r = receive.isEmpty() ? null : "recv " + formatStreams(receive);
        if (s == null) {
            return r;
        }
        if (r == null) {
            return s;
        }
        return receiveFirst ? r + " " + s : s + " " + r;
    }
}
