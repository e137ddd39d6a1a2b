package dev.parley.turn;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which peer addresses a relay may talk to. Refuses by default everything coturn's CVE history
 * taught operators to refuse: loopback, RFC 1918, link-local (incl. the 169.254.169.254 metadata
 * service), CGNAT 100.64/10, multicast, unspecified, reserved and documentation ranges, IPv6 ULA,
 * link-local, loopback and multicast, and every IPv4 address embedded in IPv6 (::ffff:a.b.c.d,
 * ::a.b.c.d, 6to4 2002::/16, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, Teredo 2001::/32) is judged as
 * the IPv4 address it reaches. The allow list wins over both deny lists.
 */
final class PeerAddressPolicy {
    /** An address block, IPv4 or IPv6. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String s = text.trim();
            int slash = s.indexOf('/');
            String host = slash < 0 ? s : s.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("not an IP address block: " + text);
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address block: " + text);
            }
            int prefix;
            try {
                prefix = slash < 0 ? address.length * 8 : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix in " + text);
            }
            if (prefix < 0 || prefix > address.length * 8) throw new IllegalArgumentException("bad prefix in " + text);
            return new Cidr(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) return false;
            }
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    static final List<String> DEFAULT_DENIED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "64:ff9b:1::/48", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

    private final List<Cidr> allowed;
    private final List<Cidr> denied;

    PeerAddressPolicy(List<String> allowed, List<String> extraDenied) {
        this.allowed = allowed.stream().map(Cidr::parse).toList();
        List<Cidr> d = new ArrayList<>();
        DEFAULT_DENIED.forEach(c -> d.add(Cidr.parse(c)));
        extraDenied.forEach(c -> d.add(Cidr.parse(c)));
        this.denied = List.copyOf(d);
    }

    /** Whether relaying to this peer is allowed. */
    boolean permits(InetAddress peer) {
        byte[] raw = peer.getAddress();
        byte[] embedded = embeddedIpv4(raw);
        if (matches(allowed, raw) || embedded != null && matches(allowed, embedded)) return true;
        if (matches(denied, raw)) return false;
        return embedded == null || !matches(denied, embedded);
    }

    /**
     * The IPv4 address an IPv6 address leads to, or null. Unknown embeddings are conservative:
     * an IPv6 form that could reach IPv4 and is not listed here is judged on its own bits only.
     */
    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) return null;
        if (allZero(a, 0, 10) && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) return tail(a, 12); // ::ffff:a.b.c.d
        if (allZero(a, 0, 12) && !allZero(a, 12, 16)) return tail(a, 12); // ::a.b.c.d (deprecated compatible form)
        if (allZero(a, 0, 8) && (a[8] & 0xFF) == 0xFF && (a[9] & 0xFF) == 0xFF && allZero(a, 10, 12)) return tail(a, 12); // ::ffff:0:a.b.c.d (SIIT)
        if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x02) return new byte[] {a[2], a[3], a[4], a[5]}; // 6to4 2002:AABB:CCDD::
        if (a[0] == 0 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B) {
            // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052); local-use 64:ff9b:1::/48 (RFC 8215) is denied outright
            return allZero(a, 4, 12) ? tail(a, 12) : new byte[] {a[6], a[7], a[9], a[10]};
        }
        if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x01 && a[2] == 0 && a[3] == 0) {
            // Teredo 2001:0::/32: client IPv4 is the last 32 bits inverted
            return new byte[] {(byte) ~a[12], (byte) ~a[13], (byte) ~a[14], (byte) ~a[15]};
        }
        return null;
    }

    private static boolean matches(List<Cidr> list, byte[] address) {
        for (Cidr c : list) {
            if (c.contains(address)) return true;
        }
        return false;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) return false;
        }
        return true;
    }

    private static byte[] tail(byte[] a, int from) {
        return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
    }

    static boolean isIpv4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
