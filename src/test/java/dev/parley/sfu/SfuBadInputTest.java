package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunMethod;
import dev.parley.testing.TestServer;
import io.micrometer.core.instrument.Counter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Datagrams nobody negotiated, or malformed ones, are dropped and counted; the SFU keeps serving. */
class SfuBadInputTest {

    private static double dropped(TestServer server, String reason) {
        Counter c = server.server().metrics().find("parley.rtc.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private interface Receive {
        void run() throws Exception;
    }

    /** True if something arrives before the socket's read timeout. */
    private static boolean answered(Receive receive) throws Exception {
        try {
            receive.run();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static void assertAllDropped(TestServer server, int sent) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (dropped(server, "unknown-source") + dropped(server, "malformed") < sent && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(sent, dropped(server, "unknown-source") + dropped(server, "malformed"), 0.0,
                "every packet was dropped and counted");
        assertEquals(new Sfu.Counts(0, 0, 0, 0, 0), server.server().sfu().counts(), "no state was created");
    }

    @Test
    void garbageAndUnknownSourcesAreDroppedAndCounted() throws Exception {
        try (TestServer server = TestServer.start(); DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(300);
            InetAddress sfu = InetAddress.getLoopbackAddress();
            int port = server.server().sfu().port();
            Random random = new Random(42);
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[1 + random.nextInt(1200)];
                random.nextBytes(junk);
                socket.send(new DatagramPacket(junk, junk.length, sfu, port));
            }
            // RTP and DTLS-looking packets from a 5-tuple no ICE check ever bound
            byte[] rtp = new byte[100];
            rtp[0] = (byte) 0x80;
            rtp[1] = 96;
            socket.send(new DatagramPacket(rtp, rtp.length, sfu, port));
            byte[] dtls = new byte[60];
            dtls[0] = 22;
            socket.send(new DatagramPacket(dtls, dtls.length, sfu, port));
            // a Binding request for a ufrag that belongs to no transport gets no answer
            byte[] binding = StunMessageBuilder.create(new MessageType(StunMethod.BINDING, StunClass.REQUEST))
                    .addText(AttributeType.USERNAME, "nobody:me").addMessageIntegrity(new byte[16]).addFingerprint().build();
            socket.send(new DatagramPacket(binding, binding.length, sfu, port));
            assertTrue(!answered(() -> socket.receive(new DatagramPacket(new byte[1500], 1500))),
                    "nothing is sent back to an unauthenticated source");
            assertAllDropped(server, 203);
        }
    }

    @Test
    void garbageOnIceTcpIsDroppedAndCountedAndTheConnectionGetsNoAnswer() throws Exception {
        try (TestServer server = TestServer.start();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.server().sfu().tcpPort())) {
            socket.setSoTimeout(500);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            Random random = new Random(7);
            for (int i = 0; i < 50; i++) {
                byte[] junk = new byte[1 + random.nextInt(1200)];
                random.nextBytes(junk);
                out.writeShort(junk.length); // RFC 4571 framing around garbage
                out.write(junk);
            }
            byte[] binding = StunMessageBuilder.create(new MessageType(StunMethod.BINDING, StunClass.REQUEST))
                    .addText(AttributeType.USERNAME, "nobody:me").addMessageIntegrity(new byte[16]).addFingerprint().build();
            out.writeShort(binding.length);
            out.write(binding);
            out.writeShort(3000); // longer than any media packet
            out.write(new byte[3000]);
            out.flush();
            assertTrue(!answered(() -> new DataInputStream(socket.getInputStream()).readShort()),
                    "nothing is sent back on an unauthenticated connection");
            assertAllDropped(server, 52);
        }
    }
}
