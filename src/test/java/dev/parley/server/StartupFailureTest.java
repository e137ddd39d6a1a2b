package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A listener that cannot start is named with the flags that move it, not reported as the HTTP port. */
class StartupFailureTest {

    @Test
    void aTakenSfuPortNamesTheSfuFlags() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            StartupException e = assertThrows(StartupException.class,
                    () -> new ParleyServer(TestConfigs.loopback("--sfu-port", String.valueOf(taken.getLocalPort()))));
            assertTrue(e.getMessage().contains("SFU") && e.getMessage().contains("--sfu-port"), e.getMessage());
        }
    }

    @Test
    void aTakenTurnPortNamesTheTurnFlagsAndTheHttpPortIsNotBlamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ParleyServer server = new ParleyServer(TestConfigs.loopback("--turn-tcp-port", String.valueOf(taken.getLocalPort())))) {
            StartupException e = assertThrows(StartupException.class, server::start);
            assertTrue(e.getMessage().contains("TURN") && e.getMessage().contains("--turn-tcp-port"), e.getMessage());
            assertTrue(!e.getMessage().contains("HTTP"), e.getMessage());
        }
    }

    @Test
    void aTakenHttpPortNamesTheHttpFlags() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ParleyServer server = new ParleyServer(TestConfigs.loopback("--port", String.valueOf(taken.getLocalPort())))) {
            StartupException e = assertThrows(StartupException.class, server::start);
            assertTrue(e.getMessage().contains("HTTP") && e.getMessage().contains("--port"), e.getMessage());
        }
    }
}
