package dev.parley.codec.rtcp;

/**
 * One RTCP packet inside a compound packet (RFC 3550 §6.1). The family is closed so that
 * a {@code switch} over it is checked by the compiler; anything else is {@link UnknownRtcpPacket}.
 */
public sealed interface RtcpPacket
        permits SenderReport, ReceiverReport, SourceDescription, Goodbye, GenericNack,
                PictureLossIndication, FullIntraRequest, ReceiverEstimatedMaxBitrate,
                TransportWideCcFeedback, UnknownRtcpPacket {

    /** Bytes {@link #marshalTo} writes, a multiple of 4. */
    int marshalledLength();

    /** Writes the packet at {@code off}; returns the number of bytes written. */
    int marshalTo(byte[] out, int off);

    default byte[] marshal() {
        byte[] out = new byte[marshalledLength()];
        marshalTo(out, 0);
        return out;
    }
}
