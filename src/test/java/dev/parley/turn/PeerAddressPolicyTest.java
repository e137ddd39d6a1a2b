package dev.parley.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressPolicyTest {
    static InetAddress ip(String text) throws Exception {
        InetAddress a = InetAddress.getByName(text);
        // keep ::ffff:a.b.c.d as IPv6, the way it arrives in an XOR-PEER-ADDRESS of family IPv6
        if (text.toLowerCase().startsWith("::ffff:") && text.contains(".")) {
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xFF;
            v6[11] = (byte) 0xFF;
            System.arraycopy(a.getAddress(), 0, v6, 12, 4);
            return Inet6Address.getByAddress(null, v6, -1);
        }
        return a;
    }

    @ParameterizedTest(name = "{0} permitted={1}")
    @CsvSource({
            "8.8.8.8, true", "1.1.1.1, true", "2001:4860:4860::8888, true",
            "127.0.0.1, false", "127.255.255.254, false", "10.0.0.1, false", "172.16.0.1, false", "172.31.255.255, false",
            "172.32.0.1, true", "192.168.0.1, false", "169.254.169.254, false", "100.64.0.1, false", "100.127.255.255, false",
            "100.128.0.1, true", "224.0.0.251, false", "0.0.0.0, false", "255.255.255.255, false", "192.0.0.170, false",
            "::, false", "::1, false", "fc00::1, false", "fdff::1, false", "fe80::1, false", "ff02::1, false", "fec0::1, false",
            "::ffff:127.0.0.1, false", "::ffff:8.8.8.8, true", "::ffff:10.1.1.1, false", "::127.0.0.1, false", "::8.8.8.8, true",
            "::ffff:0:127.0.0.1, false", "2002:7f00:0001::1, false", "2002:0808:0808::1, true", "2002:c0a8:0101::, false",
            "64:ff9b::127.0.0.1, false", "64:ff9b::8.8.8.8, true", "64:ff9b::169.254.169.254, false", "64:ff9b:1::1, false",
            "2001:0:4136:e378:8000:63bf:80ff:fffe, false", "2001:0:4136:e378:8000:63bf:f7f7:f7f7, true"})
    void defaultPolicy(String address, boolean permitted) throws Exception {
        PeerAddressPolicy policy = new PeerAddressPolicy(List.of(), List.of());
        assertEquals(permitted, policy.permits(ip(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::127.0.0.1"})
    void allowListOpensLoopbackInEveryForm(String address) throws Exception {
        PeerAddressPolicy policy = new PeerAddressPolicy(List.of("127.0.0.0/8"), List.of());
        assertEquals(true, policy.permits(ip(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "::ffff:8.8.8.8", "2002:808:808::1"})
    void extraDenyListClosesPublicAddressesInEveryForm(String address) throws Exception {
        PeerAddressPolicy policy = new PeerAddressPolicy(List.of(), List.of("8.8.8.0/24"));
        assertEquals(false, policy.permits(ip(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-ip", "10.0.0.0/33", "::/129", "10.0.0.0/x", "example.org"})
    void badRulesAreRefusedUpFront(String rule) {
        assertThrows(IllegalArgumentException.class, () -> PeerAddressPolicy.Cidr.parse(rule));
    }
}
