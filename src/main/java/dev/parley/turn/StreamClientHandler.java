package dev.parley.turn;

import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunParseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP or TLS client connection: STUN requests go to {@link TurnProtocol}, ChannelData to the
 * connection's allocation. A connection that neither allocates nor binds within 30 seconds is closed,
 * so idle sockets cannot pile up before authentication.
 */
final class StreamClientHandler extends ChannelInboundHandlerAdapter {
    static final long IDLE_UNAUTHENTICATED_SECONDS = 30;

    private final TurnProtocol protocol;
    private final AtomicInteger openConnections;
    private final boolean tls;
    private ClientLink.Stream link;

    StreamClientHandler(TurnProtocol protocol, AtomicInteger openConnections, boolean tls) {
        this.protocol = protocol;
        this.openConnections = openConnections;
        this.tls = tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        link = new ClientLink.Stream(ctx.channel(), tls);
        ctx.channel().closeFuture().addListener(f -> openConnections.decrementAndGet());
        ctx.executor().schedule(() -> {
            if (link.allocation == null && ctx.pipeline().get("splice") == null) ctx.close();
        }, IDLE_UNAUTHENTICATED_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            int first = frame.getUnsignedByte(frame.readerIndex());
            if ((first & 0xC0) == 0) {
                StunMessage message;
                try {
                    message = StunMessage.decode(ByteBufUtil.getBytes(frame));
                } catch (StunParseException e) {
                    ctx.close(); // a stream cannot resynchronise after a bad frame
                    return;
                }
                protocol.handle(link, message);
            } else {
                Allocation allocation = link.allocation;
                int start = frame.readerIndex();
                int length = frame.getUnsignedShort(start + 2);
                int channel = frame.getUnsignedShort(start);
                if (allocation != null && ChannelData.isValidChannelNumber(channel, protocol.rfc5766Channels())) {
                    allocation.fromClientChannel(channel, frame, start + ChannelData.HEADER_LENGTH, length);
                }
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Allocation allocation = link == null ? null : link.allocation;
        if (allocation != null) allocation.flushRelay(); // ChannelData of this read batch leaves in one flush
        ctx.fireChannelReadComplete();
    }

    /** RFC 6062 §5.4: after a successful ConnectionBind the connection carries raw peer bytes. */
    static void becomeDataConnection(Channel channel) {
        channel.pipeline().remove(StreamClientHandler.class);
        // the framer hands any bytes it already buffered to the next handler as it leaves
        channel.pipeline().remove(StreamFramer.class);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Allocation allocation = link == null ? null : link.allocation;
        if (allocation != null) allocation.close("client_closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
