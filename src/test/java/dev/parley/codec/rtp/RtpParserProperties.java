package dev.parley.codec.rtp;

import java.util.List;
import net.jqwik.api.*;

/** Fuzz-style properties: no input makes the RTP parser throw anything but RtpParseException. */
class RtpParserProperties {
    @Property(tries = 3000)
    void randomBytesOnlyThrowTheTypedException(@ForAll byte[] bytes, @ForAll boolean forceVersion2) {
        if (forceVersion2 && bytes.length > 0) {
            bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
        }
        exercise(bytes);
    }

    @Property(tries = 3000)
    void mutatedValidPacketsOnlyThrowTheTypedException(@ForAll("mutatedPackets") byte[] bytes) {
        exercise(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedPackets() {
        byte[] base = RtpPacket.of(96, 1000, 3000, 0xABCDEF, true, new byte[] {1, 2, 3, 4, 5, 6})
                .withExtensions(List.of(new RtpHeaderExtension(1, new byte[] {1, 2}),
                        new RtpHeaderExtension(2, new byte[] {9, 9, 9})))
                .withPadding(4).marshal();
        return Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size())
                        .flatMap(values -> Arbitraries.integers().between(0, base.length).map(cut -> {
                            byte[] b = base.clone();
                            for (int i = 0; i < positions.size(); i++) {
                                b[positions.get(i)] = values.get(i);
                            }
                            return java.util.Arrays.copyOf(b, cut);
                        })));
    }

    private static void exercise(byte[] bytes) {
        RtpPacketView v = new RtpPacketView();
        try {
            v.wrap(bytes, 0, bytes.length);
        } catch (RtpParseException expected) {
            return;
        }
        for (int id = 0; id < 256; id++) {
            int p = v.findExtension(id);
            if (p >= 0) {
                int len = v.extensionLength(p);
                if (p + len > bytes.length) {
                    throw new AssertionError("extension value past the packet end");
                }
            }
        }
        if (v.payloadLength() < 0) {
            throw new AssertionError("negative payload length");
        }
        RtpPacket p = RtpPacket.from(v);
        p.marshal();
        if (v.findExtension(9) < 0 && (v.extensionProfile() < 0 || v.extensionProfile() == RtpPacketView.PROFILE_ONE_BYTE
                || (v.extensionProfile() & 0xFFF0) == RtpPacketView.PROFILE_TWO_BYTE)) {
            byte[] out = new byte[bytes.length + 300];
            int n = RtpExtensionAppender.copyAdding(v, 9, 2, out, 0);
            new RtpPacketView().wrap(out, 0, n); // the result must itself be valid RTP
        }
        v.transportSequenceNumber(3);
        v.extensionUnsigned(2);
        v.setExtensionUnsigned(2, 7);
        v.extensionEquals(1, new byte[] {1, 2});
        v.remapExtensionIds(new int[] {0, 2, 1});
        try {
            Rtx.originalSequenceNumber(v);
        } catch (RtpParseException expected) {
            // short payloads are the only allowed failure
        }
    }
}
