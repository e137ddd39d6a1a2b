package dev.parley.codec.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * RFC 8489 §14.2 XOR-MAPPED-ADDRESS encoding, shared by RFC 8656 XOR-PEER-ADDRESS and
 * XOR-RELAYED-ADDRESS: the port is XORed with the top half of the magic cookie, an IPv4 address
 * with the cookie, an IPv6 address with cookie ‖ transaction id.
 *
 * <p>An IPv6-family value is always returned as an {@link Inet6Address}, even in the
 * {@code ::ffff:a.b.c.d} form, so callers can see which family the sender chose.
 */
public final class XorAddress {
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private XorAddress() {
    }

    /** Decodes a value whose transaction id is in {@code message[8..20)}. */
    static InetSocketAddress decode(byte[] message, int at, int length) throws StunParseException {
        if (length < 4) throw new StunParseException("address attribute too short");
        int family = message[at + 1] & 0xFF;
        int port = StunMessage.readShort(message, at + 2) ^ (StunMessage.MAGIC_COOKIE >>> 16);
        int addressLength = switch (family) {
            case FAMILY_IPV4 -> 4;
            case FAMILY_IPV6 -> 16;
            default -> throw new StunParseException("unknown address family " + family);
        };
        if (length != 4 + addressLength) throw new StunParseException("address attribute length " + length);
        byte[] address = new byte[addressLength];
        for (int i = 0; i < addressLength; i++) {
            // bytes 4..20 of the header are cookie ‖ transaction id
            address[i] = (byte) (message[at + 4 + i] ^ message[4 + i]);
        }
        try {
            InetAddress ip = family == FAMILY_IPV4 ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, -1);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new StunParseException("bad address");
        }
    }

    /** Encodes the attribute value for a message with the given transaction id. */
    public static byte[] encode(InetSocketAddress address, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        boolean v4 = address.getAddress() instanceof Inet4Address;
        byte[] value = new byte[4 + ip.length];
        value[1] = (byte) (v4 ? FAMILY_IPV4 : FAMILY_IPV6);
        int port = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
        value[2] = (byte) (port >> 8);
        value[3] = (byte) port;
        byte[] mask = new byte[16];
        mask[0] = 0x21;
        mask[1] = 0x12;
        mask[2] = (byte) 0xA4;
        mask[3] = 0x42;
        System.arraycopy(transactionId, 0, mask, 4, StunMessage.TRANSACTION_ID_LENGTH);
        for (int i = 0; i < ip.length; i++) value[4 + i] = (byte) (ip[i] ^ mask[i]);
        return value;
    }
}
