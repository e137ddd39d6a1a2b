package dev.parley.turn;

import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Splits a TCP/TLS byte stream into STUN messages and ChannelData frames (RFC 8656 §12.5: the
 * first two bits tell them apart; ChannelData is padded to 4 bytes on streams). Emits retained
 * slices, one per frame.
 */
final class StreamFramer extends ByteToMessageDecoder {
    private final boolean rfc5766Channels;

    StreamFramer(boolean rfc5766Channels) {
        this.rfc5766Channels = rfc5766Channels;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int first = in.getUnsignedByte(start);
            int length = in.getUnsignedShort(start + 2);
            int frame;
            if ((first & 0xC0) == 0) {
                frame = StunMessage.HEADER_LENGTH + length;
            } else if (ChannelData.looksLikeChannelData(first, rfc5766Channels)) {
                frame = ChannelData.streamFrameLength(length);
            } else {
                throw new CorruptedFrameException("neither STUN nor ChannelData");
            }
            if (in.readableBytes() < frame) return;
            out.add(in.retainedSlice(start, frame));
            in.skipBytes(frame);
        }
    }
}
