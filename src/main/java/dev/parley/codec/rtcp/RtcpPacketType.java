package dev.parley.codec.rtcp;

/** RTCP packet type numbers (RFC 3550 §12.1, RFC 4585 §6.1) and feedback message types. */
public final class RtcpPacketType {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585 §6.2). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 §6.3). */
    public static final int PSFB = 206;
    public static final int XR = 207;

    /** RTPFB FMT 1: generic NACK (RFC 4585 §6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB FMT 15: transport-wide congestion control feedback. */
    public static final int FMT_TRANSPORT_CC = 15;
    /** PSFB FMT 1: picture loss indication (RFC 4585 §6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB FMT 4: full intra request (RFC 5104 §4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB FMT 15: application layer feedback, used by REMB. */
    public static final int FMT_AFB = 15;

    private RtcpPacketType() {}
}
