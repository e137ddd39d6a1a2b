package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small text helpers shared by the attribute parsers (RFC 8866 §9 grammar). */
final class SdpText {
    private SdpText() {}

    /** Splits on single spaces; an empty field (double space, leading space) is an error. */
    static List<String> fields(String s, String what) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int space = s.indexOf(' ', start);
            String field = space < 0 ? s.substring(start) : s.substring(start, space);
            if (field.isEmpty()) {
                throw new SdpParseException("empty field in " + what);
            }
            out.add(field);
            if (space < 0) {
                return out;
            }
            start = space + 1;
        }
    }

    static int parseInt(String s, int min, int max, String what) {
        // RFC 8866 §9 integers have no leading zeros; rejecting them keeps output byte-identical.
        if (s.length() > 1 && s.charAt(0) == '0') {
            throw new SdpParseException("leading zero in " + what);
        }
        if (s.isEmpty() || s.length() > 10) {
            throw new SdpParseException("bad " + what);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpParseException("bad " + what);
            }
            v = v * 10 + (c - '0');
        }
        if (v < min || v > max) {
            throw new SdpParseException(what + " out of range");
        }
        return (int) v;
    }

    static long parseLong(String s, long max, String what) {
        // RFC 8866 §9 integers have no leading zeros; rejecting them keeps output byte-identical.
        if (s.length() > 1 && s.charAt(0) == '0') {
            throw new SdpParseException("leading zero in " + what);
        }
        if (s.isEmpty() || s.length() > 19) {
            throw new SdpParseException("bad " + what);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpParseException("bad " + what);
            }
            v = v * 10 + (c - '0');
        }
        if (v < 0 || v > max) {
            throw new SdpParseException(what + " out of range");
        }
        return v;
    }

    /** Attribute and source-attribute names: a token without ':' (RFC 8866 §9 att-field). */
    static void requireName(String s, String what) {
        requireToken(s, what);
        if (s.indexOf(':') >= 0) {
            throw new IllegalArgumentException("':' in " + what);
        }
    }

    /** Visible ASCII, no spaces: URIs, ids, addresses. */
    static void requireToken(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty " + what);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new IllegalArgumentException("bad character in " + what);
            }
        }
    }

    static void requireLineSafe(String s) {
        if (s == null || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value must be one line");
        }
    }

    /** Tokens inside structured attributes: visible ASCII, no spaces. */
    static String token(String s, String what) {
        if (s.isEmpty()) {
            throw new SdpParseException("empty " + what);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new SdpParseException("bad character in " + what);
            }
        }
        return s;
    }
}
