package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Round trips, rollover, replay and tampering through the public session API, for every profile. */
class SrtpSessionTest {
    private static final int SSRC = 0xCAFEBABE;

    private static byte[] masterKey(SrtpProfile p) {
        byte[] k = new byte[p.keyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + 1);
        }
        return k;
    }

    private static byte[] masterSalt(SrtpProfile p) {
        byte[] s = new byte[p.saltLength()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (0xA0 + i);
        }
        return s;
    }

    private static SrtpSession session(SrtpProfile p) {
        return SrtpSession.create(p, masterKey(p), masterSalt(p));
    }

    /** An RTP packet with a CSRC and a one-byte extension block, room for any tag after it. */
    static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] b = new byte[12 + 4 + 8 + payloadLength + 16];
        b[0] = (byte) 0x91; // V=2, X=1, CC=1
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        AesCmTransform.putInt(b, 4, seq * 3000);
        AesCmTransform.putInt(b, 8, ssrc);
        AesCmTransform.putInt(b, 12, 0x11111111);
        b[16] = (byte) 0xBE;
        b[17] = (byte) 0xDE;
        b[19] = 1; // one word of extensions
        b[20] = 0x10;
        b[21] = 0x42;
        for (int i = 0; i < payloadLength; i++) {
            b[24 + i] = (byte) (seq + i);
        }
        return b;
    }

    static int rtpLength(int payloadLength) {
        return 24 + payloadLength;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripRestoresThePacket(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[] clear = rtp(1, SSRC, 160);
        byte[] wire = clear.clone();

        int protectedLength = sender.protectRtp(wire, 0, rtpLength(160));
        assertEquals(rtpLength(160) + p.rtpOverhead(), protectedLength);
        assertFalse(Arrays.equals(clear, 24, 184, wire, 24, 184), "payload must be encrypted");

        int clearLength = receiver.unprotectRtp(wire, 0, protectedLength);
        assertEquals(rtpLength(160), clearLength);
        assertArrayEquals(Arrays.copyOf(clear, clearLength), Arrays.copyOf(wire, clearLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpWorksAtAnOffsetInALargerBuffer(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[] clear = rtp(9, SSRC, 40);
        byte[] buf = new byte[100 + clear.length];
        System.arraycopy(clear, 0, buf, 100, clear.length);

        int n = sender.protectRtp(buf, 100, rtpLength(40));
        assertEquals(rtpLength(40), receiver.unprotectRtp(buf, 100, n));
        assertArrayEquals(Arrays.copyOf(clear, rtpLength(40)), Arrays.copyOfRange(buf, 100, 100 + rtpLength(40)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverCounterAdvancesAcrossSequence65535(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        for (int i = 0; i < 8; i++) {
            int seq = (65532 + i) & 0xFFFF; // 65532 … 65535, 0 … 3
            byte[] b = rtp(seq, SSRC, 20);
            int n = sender.protectRtp(b, 0, rtpLength(20));
            assertEquals(rtpLength(20), receiver.unprotectRtp(b, 0, n), "seq " + seq);
            assertEquals((byte) seq, b[24], "payload of seq " + seq);
        }
        // A packet from before the wrap, late but inside the window, still decrypts with ROC 0.
        SrtpSession lateSender = session(p);
        byte[] late = rtp(65531, SSRC, 20);
        int n = lateSender.protectRtp(late, 0, rtpLength(20));
        assertEquals(rtpLength(20), receiver.unprotectRtp(late, 0, n));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void senderAndReceiverAgreeOnRocWhenStartedMidStream(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        sender.setRolloverCounter(SSRC, 0, 65000);
        receiver.setRolloverCounter(SSRC, 0, 65000);
        for (int seq = 65500; seq < 65536 + 100; seq += 50) {
            byte[] b = rtp(seq & 0xFFFF, SSRC, 10);
            int n = sender.protectRtp(b, 0, rtpLength(10));
            assertEquals(rtpLength(10), receiver.unprotectRtp(b, 0, n));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpIsRejectedAsReplay(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[] b = rtp(100, SSRC, 30);
        int n = sender.protectRtp(b, 0, rtpLength(30));
        byte[] copy = b.clone();
        assertEquals(rtpLength(30), receiver.unprotectRtp(b, 0, n));

        assertEquals(SrtpFailure.REPLAYED.code(), receiver.unprotectRtp(copy, 0, n));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reorderedRtpInsideTheWindowIsAccepted(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[][] wire = new byte[5][];
        int[] len = new int[5];
        for (int i = 0; i < 5; i++) {
            wire[i] = rtp(1000 + i, SSRC, 10);
            len[i] = sender.protectRtp(wire[i], 0, rtpLength(10));
        }
        for (int i : new int[] {4, 0, 2, 1, 3}) {
            assertEquals(rtpLength(10), receiver.unprotectRtp(wire[i], 0, len[i]), "packet " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpOlderThanTheWindowIsRejectedAsTooOld(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[] old = rtp(10, SSRC, 10);
        int oldLength = sender.protectRtp(old, 0, rtpLength(10));
        byte[] recent = rtp(10 + SsrcContext.RTP_REPLAY_WINDOW + 5, SSRC, 10);
        int recentLength = sender.protectRtp(recent, 0, rtpLength(10));

        assertEquals(rtpLength(10), receiver.unprotectRtp(recent, 0, recentLength));
        assertEquals(SrtpFailure.TOO_OLD.code(), receiver.unprotectRtp(old, 0, oldLength));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedRtpFailsAuthenticationAndLeavesStateAlone(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[] b = rtp(5, SSRC, 50);
        int n = sender.protectRtp(b, 0, rtpLength(50));
        for (int at : new int[] {2, 9, 30, n - 1}) {
            byte[] t = b.clone();
            t[at] ^= 0x04;
            assertEquals(SrtpFailure.AUTH_FAILED.code(), receiver.unprotectRtp(t, 0, n), "flip at " + at);
        }
        assertEquals(0, receiver.ssrcCount(), "an unauthenticated packet creates no context");
        assertEquals(rtpLength(50), receiver.unprotectRtp(b, 0, n), "the genuine packet still passes");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetFromAnotherKeyFailsAuthentication(SrtpProfile p) {
        SrtpSession other = SrtpSession.create(p, new byte[p.keyLength()], new byte[p.saltLength()]);
        byte[] b = rtp(5, SSRC, 50);
        int n = other.protectRtp(b, 0, rtpLength(50));
        assertEquals(SrtpFailure.AUTH_FAILED.code(), session(p).unprotectRtp(b, 0, n));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripReplayAndTamper(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        byte[] clear = Hex.bytes("80c80006 cafebabe 00000001 00000002 00000003 00000004 00000005");
        for (int round = 0; round < 3; round++) {
            byte[] b = Arrays.copyOf(clear, clear.length + p.rtcpOverhead());
            int n = sender.protectRtcp(b, 0, clear.length);
            assertEquals(clear.length + p.rtcpOverhead(), n);
            byte[] replay = b.clone();
            byte[] tampered = b.clone();
            tampered[12] ^= 1;

            assertEquals(SrtpFailure.AUTH_FAILED.code(), receiver.unprotectRtcp(tampered, 0, n));
            assertEquals(clear.length, receiver.unprotectRtcp(b, 0, n));
            assertArrayEquals(clear, Arrays.copyOf(b, clear.length));
            assertEquals(SrtpFailure.REPLAYED.code(), receiver.unprotectRtcp(replay, 0, n));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedAndMalformedPacketsAreMalformed(SrtpProfile p) {
        SrtpSession receiver = session(p);
        assertEquals(SrtpFailure.MALFORMED.code(), receiver.unprotectRtp(new byte[8], 0, 8));
        byte[] wrongVersion = rtp(1, SSRC, 40);
        wrongVersion[0] = 0x11;
        assertEquals(SrtpFailure.MALFORMED.code(), receiver.unprotectRtp(wrongVersion, 0, 64));
        byte[] extensionOverrun = rtp(1, SSRC, 40);
        extensionOverrun[18] = 0x7F; // extension length far past the end
        assertEquals(SrtpFailure.MALFORMED.code(), receiver.unprotectRtp(extensionOverrun, 0, 64));
        assertEquals(SrtpFailure.MALFORMED.code(), receiver.unprotectRtcp(new byte[12], 0, 12));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectWithoutRoomForTheTagIsAProgrammingError(SrtpProfile p) {
        byte[] exact = Arrays.copyOf(rtp(1, SSRC, 10), rtpLength(10));
        assertThrows(IllegalArgumentException.class, () -> session(p).protectRtp(exact, 0, exact.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void ssrcsAreIndependentContexts(SrtpProfile p) {
        SrtpSession sender = session(p);
        SrtpSession receiver = session(p);
        for (int ssrc : new int[] {1, 2, 3}) {
            byte[] b = rtp(7, ssrc, 10);
            int n = sender.protectRtp(b, 0, rtpLength(10));
            assertEquals(rtpLength(10), receiver.unprotectRtp(b, 0, n), "same seq on SSRC " + ssrc);
        }
        assertEquals(3, receiver.ssrcCount());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void retransmittingTheLastPacketOnItsOwnSsrcGivesTheSameBytes(SrtpProfile p) {
        // NACK answered without RTX: same SSRC and sequence number, so the same packet index.
        SrtpSession sender = session(p);
        byte[] first = rtp(77, SSRC, 40);
        byte[] again = first.clone();
        int n = sender.protectRtp(first, 0, rtpLength(40));
        assertEquals(n, sender.protectRtp(again, 0, rtpLength(40)));
        assertArrayEquals(Arrays.copyOf(first, n), Arrays.copyOf(again, n));
        assertEquals(rtpLength(40), session(p).unprotectRtp(again, 0, n));
    }
}
