package dev.parley.turn;

import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunParseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.Arrays;

/**
 * One UDP listener socket (with epoll, one of several sharing the port through SO_REUSEPORT, one
 * per event loop; one handler instance per socket). ChannelData goes straight to the sender's
 * allocation without copying, and the relay sockets written to are flushed once per read batch
 * ({@link #channelReadComplete}); STUN messages are decoded and handed to {@link TurnProtocol}.
 * Malformed datagrams are dropped.
 */
final class UdpListenerHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final TurnProtocol protocol;
    private final AllocationTable table;
    private final boolean rfc5766Channels;
    /** Allocations with writes queued in this read batch; only touched on this socket's loop. */
    private Allocation[] unflushed = new Allocation[16];
    private int unflushedCount;

    UdpListenerHandler(TurnProtocol protocol) {
        super(true);
        this.protocol = protocol;
        this.table = protocol.table();
        this.rfc5766Channels = protocol.rfc5766Channels();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (length < 4) return;
        if (Transports.truncated(length)) {
            protocol.metrics().dropped("too_large");
            return;
        }
        int start = content.readerIndex();
        int first = content.getUnsignedByte(start);
        if (ChannelData.looksLikeChannelData(first, rfc5766Channels)) {
            Allocation allocation = table.findUdp(packet.sender());
            int channel = content.getUnsignedShort(start);
            int dataLength = content.getUnsignedShort(start + 2);
            if (allocation == null || dataLength > length - ChannelData.HEADER_LENGTH) return;
            if (allocation.loop.inEventLoop()) {
                if (allocation.fromClientChannel(channel, content, start + ChannelData.HEADER_LENGTH, dataLength)) {
                    if (unflushedCount == unflushed.length) unflushed = Arrays.copyOf(unflushed, unflushedCount * 2);
                    unflushed[unflushedCount++] = allocation;
                }
            } else {
                // the kernel moved this client to another SO_REUSEPORT socket: hand over to the allocation's loop
                ByteBuf held = content.retain();
                allocation.loop.execute(() -> {
                    try {
                        allocation.fromClientChannel(channel, held, start + ChannelData.HEADER_LENGTH, dataLength);
                        allocation.flushRelay();
                    } finally {
                        held.release();
                    }
                });
            }
            return;
        }
        if ((first & 0xC0) != 0) return;
        StunMessage message;
        try {
            message = StunMessage.decode(ByteBufUtil.getBytes(content));
        } catch (StunParseException e) {
            return;
        }
        protocol.handle(new ClientLink.Udp(ctx.channel(), packet.sender(), packet.recipient()), message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0; i < unflushedCount; i++) {
            unflushed[i].flushRelay();
            unflushed[i] = null;
        }
        unflushedCount = 0;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a UDP socket survives a bad datagram; nothing to close
    }
}
