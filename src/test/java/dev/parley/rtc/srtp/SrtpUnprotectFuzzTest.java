package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random and mutated input to unprotect only ever yields a length or a typed failure, never a throw. */
class SrtpUnprotectFuzzTest {
    private static SrtpSession receiver(SrtpProfile p) {
        return SrtpSession.create(p, new byte[p.keyLength()], new byte[p.saltLength()]);
    }

    private static void assertOutcome(int result, int length) {
        if (result < 0) {
            SrtpFailure.fromCode(result); // throws for anything not a typed failure
        } else {
            assertTrue(result <= length);
        }
    }

    @Provide
    Arbitrary<byte[]> packets() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
    }

    @Property(tries = 400)
    void randomBytesAreRejectedCleanly(@ForAll SrtpProfile profile, @ForAll("packets") byte[] data) {
        SrtpSession s = receiver(profile);
        assertOutcome(s.unprotectRtp(data.clone(), 0, data.length), data.length);
        assertOutcome(s.unprotectRtcp(data.clone(), 0, data.length), data.length);
    }

    @Property(tries = 400)
    void mutatedGenuinePacketsFailAuthOrAreMalformed(@ForAll SrtpProfile profile,
            @ForAll @IntRange(min = 0, max = 65535) int seq,
            @ForAll @Size(min = 1, max = 4) java.util.List<@IntRange(min = 0, max = 10_000) Integer> flips,
            @ForAll @IntRange(min = 0, max = 40) int truncate) {
        SrtpSession sender = SrtpSession.create(profile, new byte[profile.keyLength()], new byte[profile.saltLength()]);
        byte[] b = SrtpSessionTest.rtp(seq, 0x1234, 60);
        int n = sender.protectRtp(b, 0, SrtpSessionTest.rtpLength(60));
        byte[] original = java.util.Arrays.copyOf(b, n);
        for (int flip : flips) {
            int at = flip % n;
            b[at] ^= (byte) (1 << (flip % 8));
        }
        int len = Math.max(0, n - truncate);
        // Flips that cancel each other leave the genuine packet: not a mutation.
        Assume.that(len < n || !java.util.Arrays.equals(original, java.util.Arrays.copyOf(b, n)));
        int result = receiver(profile).unprotectRtp(b, 0, len);
        assertOutcome(result, len);
        assertTrue(result < 0, "a mutated packet must never authenticate");
    }

    @Property(tries = 300)
    void mutatedGenuineRtcpFailsAuthOrIsMalformed(@ForAll SrtpProfile profile,
            @ForAll @Size(min = 1, max = 4) java.util.List<@IntRange(min = 0, max = 10_000) Integer> flips,
            @ForAll @IntRange(min = 0, max = 30) int truncate) {
        SrtpSession sender = SrtpSession.create(profile, new byte[profile.keyLength()], new byte[profile.saltLength()]);
        byte[] b = new byte[28 + profile.rtcpOverhead()];
        b[0] = (byte) 0x80;
        b[1] = (byte) 201; // receiver report
        b[3] = 6;
        int n = sender.protectRtcp(b, 0, 28);
        byte[] original = java.util.Arrays.copyOf(b, n);
        for (int flip : flips) {
            int at = flip % n;
            b[at] ^= (byte) (1 << (flip % 8));
        }
        int len = Math.max(0, n - truncate);
        // Flips that cancel each other leave the genuine packet: not a mutation.
        Assume.that(len < n || !java.util.Arrays.equals(original, java.util.Arrays.copyOf(b, n)));
        int result = receiver(profile).unprotectRtcp(b, 0, len);
        assertOutcome(result, len);
        assertTrue(result < 0, "a mutated SRTCP packet must never authenticate");
    }
}
