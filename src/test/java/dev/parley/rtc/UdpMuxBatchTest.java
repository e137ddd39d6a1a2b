package dev.parley.rtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Datagrams queued inside a read batch (sendmmsg path) all leave, intact and in order, once it ends. */
class UdpMuxBatchTest {
    @Test
    void everyDatagramQueuedInABatchIsSentWhenTheBatchEnds() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            receiver.setReceiveBufferSize(1 << 20);
            receiver.setSoTimeout(5000);
            UdpMux mux = new UdpMux(group.next(), new InetSocketAddress("127.0.0.1", 0), new RtcMetrics(new SimpleMeterRegistry()));
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
            int count = 200; // more than one early flush (every 64) and a remainder for the batch's end
            mux.loop().submit(() -> {
                mux.beginBatch();
                byte[] packet = new byte[300];
                for (int i = 0; i < count; i++) {
                    Arrays.fill(packet, (byte) i);
                    mux.send(packet, 0, 100 + i, to); // the mux copies: the buffer is reused at once
                }
                mux.endBatch();
            }).get(5, TimeUnit.SECONDS);
            byte[] in = new byte[2048];
            for (int i = 0; i < count; i++) {
                DatagramPacket received = new DatagramPacket(in, in.length);
                receiver.receive(received);
                assertEquals(100 + i, received.getLength(), "datagram " + i + " in order");
                byte[] expected = new byte[100 + i];
                Arrays.fill(expected, (byte) i);
                assertArrayEquals(expected, Arrays.copyOf(in, received.getLength()), "datagram " + i + " intact");
            }
            mux.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
