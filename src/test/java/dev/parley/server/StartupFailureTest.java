package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A listener that cannot start is named with the flags that move it, not reported as the HTTP port. */
class StartupFailureTest {

    private static ParleyConfig config(String... overrides) {
        String[] base = {"--host", "127.0.0.1", "--port", "0",
            "--sfu-bind", "127.0.0.1", "--sfu-port", "0", "--sfu-tcp-port", "0", "--sfu-announced-address", "127.0.0.1",
            "--turn-listen", "127.0.0.1", "--turn-udp-port", "0", "--turn-tcp-port", "0", "--turn-tls-port", "0",
            "--turn-relay-address", "127.0.0.1", "--turn-public-host", "127.0.0.1"};
        String[] args = new String[base.length + overrides.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(overrides, 0, args, base.length, overrides.length);
        return ConfigLoader.load(args, Map.of());
    }

    @Test
    void aTakenSfuPortNamesTheSfuFlags() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            StartupException e = assertThrows(StartupException.class,
                    () -> new ParleyServer(config("--sfu-port", String.valueOf(taken.getLocalPort()))));
            assertTrue(e.getMessage().contains("SFU") && e.getMessage().contains("--sfu-port"), e.getMessage());
        }
    }

    @Test
    void aTakenTurnPortNamesTheTurnFlagsAndTheHttpPortIsNotBlamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ParleyServer server = new ParleyServer(config("--turn-tcp-port", String.valueOf(taken.getLocalPort())))) {
            StartupException e = assertThrows(StartupException.class, server::start);
            assertTrue(e.getMessage().contains("TURN") && e.getMessage().contains("--turn-tcp-port"), e.getMessage());
            assertTrue(!e.getMessage().contains("HTTP"), e.getMessage());
        }
    }

    @Test
    void aTakenHttpPortNamesTheHttpFlags() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ParleyServer server = new ParleyServer(config("--port", String.valueOf(taken.getLocalPort())))) {
            StartupException e = assertThrows(StartupException.class, server::start);
            assertTrue(e.getMessage().contains("HTTP") && e.getMessage().contains("--port"), e.getMessage());
        }
    }
}
