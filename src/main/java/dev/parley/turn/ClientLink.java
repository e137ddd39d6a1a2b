package dev.parley.turn;

import dev.parley.codec.stun.ChannelData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** The client side of a 5-tuple: where responses, Data indications and ChannelData go. */
sealed interface ClientLink permits ClientLink.Udp, ClientLink.Stream {
    Channel channel();

    InetSocketAddress remote();

    /** Sends one STUN message. */
    void send(byte[] message);

    /** Frames {@code payload} (not consumed) as ChannelData and queues it; the caller flushes the channel. */
    void sendChannelData(int channelNumber, ByteBuf payload, int offset, int length);

    String transport();

    /**
     * A client reached through a UDP socket; {@code local} is the server address it sent to (from
     * IP_RECVORIGDSTADDR on wildcard listeners; may be a wildcard address when unknown).
     * {@code connected}: the socket is connected to {@code remote} (an allocation's client socket),
     * so datagrams are written as bare buffers, without a {@link DatagramPacket} envelope per packet.
     */
    record Udp(Channel channel, InetSocketAddress remote, InetSocketAddress local, boolean connected) implements ClientLink {
        Udp(Channel channel, InetSocketAddress remote, InetSocketAddress local) {
            this(channel, remote, local, channel instanceof DatagramChannel d && d.isConnected() && remote.equals(d.remoteAddress()));
        }

        @Override
        public void send(byte[] message) {
            channel.writeAndFlush(datagram(Unpooled.wrappedBuffer(message)), channel.voidPromise());
        }

        @Override
        public void sendChannelData(int channelNumber, ByteBuf payload, int offset, int length) {
            // RFC 8656 §12.5: no padding over UDP
            ByteBuf frame = channel.alloc().directBuffer(ChannelData.HEADER_LENGTH + length);
            frame.writeShort(channelNumber).writeShort(length).writeBytes(payload, offset, length);
            channel.write(datagram(frame), channel.voidPromise());
        }

        private Object datagram(ByteBuf content) {
            return connected ? content : new DatagramPacket(content, remote);
        }

        @Override
        public String transport() {
            return "udp";
        }
    }

    /** A client on one TCP or TLS connection; the connection is the 5-tuple and holds at most one allocation. */
    final class Stream implements ClientLink {
        private final Channel channel;
        private final boolean tls;
        volatile Allocation allocation;

        Stream(Channel channel, boolean tls) {
            this.channel = channel;
            this.tls = tls;
        }

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public InetSocketAddress remote() {
            return (InetSocketAddress) channel.remoteAddress();
        }

        @Override
        public void send(byte[] message) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(message), channel.voidPromise());
        }

        @Override
        public void sendChannelData(int channelNumber, ByteBuf payload, int offset, int length) {
            // RFC 8656 §12.5: pad to 4 over stream transports
            int framed = ChannelData.streamFrameLength(length);
            ByteBuf frame = channel.alloc().directBuffer(framed);
            frame.writeShort(channelNumber).writeShort(length).writeBytes(payload, offset, length).writeZero(framed - 4 - length);
            channel.write(frame, channel.voidPromise());
        }

        @Override
        public String transport() {
            return tls ? "tls" : "tcp";
        }
    }
}
