package dev.parley.server;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * The transfer app's share codes (web/sdk/short-code.js): 10 Crockford base32 symbols, 50 random
 * bits, written {@code XXXXX-XXXXX}. They are the signaling room ids of transfers, so a token for
 * the transfer app names one.
 */
final class ShareCode {
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ShareCode() {}

    /** A new random code. */
    static String draw() {
        StringBuilder code = new StringBuilder(11);
        for (int i = 0; i < 10; i++) {
            if (i == 5) code.append('-');
            code.append(ALPHABET.charAt(RANDOM.nextInt(32)));
        }
        return code.toString();
    }

    /** A typed code in its canonical form (case, dashes, spaces, O→0, I/L→1, as the app reads it), or empty. */
    static Optional<String> normalize(String typed) {
        String cleaned = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "").replace('O', '0').replaceAll("[IL]", "1");
        if (cleaned.length() != 10 || !cleaned.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) return Optional.empty();
        return Optional.of(cleaned.substring(0, 5) + "-" + cleaned.substring(5));
    }
}
