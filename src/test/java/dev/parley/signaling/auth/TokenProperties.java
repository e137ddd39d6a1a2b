package dev.parley.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The token parser refuses whatever is not a token it signed, with a {@link TokenException} and nothing else. */
class TokenProperties {
    private static final TokenVerifier VERIFIER = TokenVerifierTest.verifierAt(TokenVerifierTest.NOW);
    private static final TokenMinter MINTER = new TokenMinter(TokenVerifierTest.KEY);

    /** Arbitrary text, or text that looks like a JWT: base64url runs and dots. */
    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> b64 = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=")
                .ofMaxLength(300);
        Arbitrary<String> json = Arbitraries.strings().withChars("{}[]\":,0123456789eE.-+truefalsnl algHS256xp")
                .ofMaxLength(80).map(s -> java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes()));
        Arbitrary<String> jwtShaped = Combinators.combine(json, json, b64).as((h, p, s) -> h + "." + p + "." + s);
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300), b64, jwtShaped);
    }

    @Property(tries = 2000)
    void junkIsRefusedAsInvalid(@ForAll("junk") String input) {
        TokenException e = assertThrows(TokenException.class, () -> VERIFIER.verify(input));
        assertEquals(TokenException.Reason.INVALID, e.reason());
    }

    @Provide
    Arbitrary<JoinToken> tokens() {
        Arbitrary<String> identity = Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMinLength(1).ofMaxLength(JoinToken.MAX_IDENTITY);
        Arbitrary<String> name = Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(JoinToken.MAX_NAME).injectNull(0.3);
        Arbitrary<String> room = Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(64).injectNull(0.2);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Instant> nbf = Arbitraries.longs().between(-3600, 30).map(s -> TokenVerifierTest.NOW.plusSeconds(s)).injectNull(0.3);
        Arbitrary<Instant> exp = Arbitraries.longs().between(-29, 365L * 86400).map(s -> TokenVerifierTest.NOW.plusSeconds(s));
        return Combinators.combine(identity, name, room, flag, flag, flag, flag, Combinators.combine(nbf, exp).as((a, b) -> new Instant[] {a, b}))
                .as((i, n, r, join, create, pub, sub, times) -> new JoinToken(i, n, r, join, create, pub, sub, times[0], times[1]));
    }

    @Property(tries = 500)
    void mintedTokensRoundTrip(@ForAll("tokens") JoinToken token) throws TokenException {
        assertEquals(token, VERIFIER.verify(MINTER.mint(token)));
    }

    @Property(tries = 1000)
    void anyChangedCharacterIsRefused(@ForAll("tokens") JoinToken token, @ForAll @IntRange(min = 0, max = 10_000) int where,
            @ForAll("replacements") char replacement) {
        String jwt = MINTER.mint(token);
        int at = where % jwt.length();
        char changed = jwt.charAt(at) == replacement ? (replacement == 'A' ? 'B' : 'A') : replacement;
        String mutated = jwt.substring(0, at) + changed + jwt.substring(at + 1);
        assertEquals(TokenException.Reason.INVALID, assertThrows(TokenException.class, () -> VERIFIER.verify(mutated)).reason());
    }

    @Property(tries = 300)
    void aFlippedSignatureBitIsRefused(@ForAll("tokens") JoinToken token, @ForAll @IntRange(min = 0, max = 255) int bit) {
        String jwt = MINTER.mint(token);
        int dot = jwt.lastIndexOf('.');
        byte[] signature = java.util.Base64.getUrlDecoder().decode(jwt.substring(dot + 1));
        signature[bit / 8] ^= (byte) (1 << (bit % 8));
        String forged = jwt.substring(0, dot + 1) + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        assertEquals(TokenException.Reason.INVALID, assertThrows(TokenException.class, () -> VERIFIER.verify(forged)).reason());
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.oneOf(Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=".toCharArray()),
                Arbitraries.chars());
    }

    @Property(tries = 200)
    void expiredTokensAreRefusedAsExpired(@ForAll @IntRange(min = 30, max = 1_000_000) int secondsLate) {
        JoinToken token = JoinToken.forRoom("a", null, "r", TokenVerifierTest.NOW.minusSeconds(2_000_000), Duration.ofSeconds(1_000_000));
        TokenVerifier later = TokenVerifierTest.verifierAt(token.expires().plusSeconds(secondsLate));
        assertEquals(TokenException.Reason.EXPIRED, assertThrows(TokenException.class, () -> later.verify(MINTER.mint(token))).reason());
    }
}
