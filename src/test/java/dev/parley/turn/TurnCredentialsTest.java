package dev.parley.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    @Test
    void usernameIsExpiryColonIdentity() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        TurnCredentials.Credential c = new TurnCredentials("s3cret", Duration.ofHours(1), clock).mint("session-42");
        assertEquals("1700003600:session-42", c.username());
        assertEquals(Instant.ofEpochSecond(1_700_003_600L), c.expiresAt());
        assertEquals(TurnCredentials.password("s3cret", c.username()), c.password());
    }

    @Test
    void passwordIsBase64HmacSha1OfTheUsername() {
        // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog") = de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9 (RFC 2104 examples)
        assertEquals("3nybhbi3iqa8ino29wqQcBydtNk=", TurnCredentials.password("key", "The quick brown fox jumps over the lazy dog"));
    }

    @Test
    void emptySecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials("", Duration.ofHours(1)));
    }
}
