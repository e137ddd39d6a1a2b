package dev.parley.signaling.auth;

import static dev.parley.signaling.auth.TokenException.Reason.EXPIRED;
import static dev.parley.signaling.auth.TokenException.Reason.INVALID;
import static dev.parley.signaling.auth.TokenException.Reason.NOT_YET_VALID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks join tokens (RFC 7519 §7.2): a JWS in compact serialization signed with HS256 by the
 * configured API key, then its time claims against the clock. Every failure is a
 * {@link TokenException}; nothing else is thrown whatever the input.
 *
 * <p>Clocks of the operator's backend and this server may disagree by a few seconds, so
 * {@code exp} and {@code nbf} are checked with a leeway ({@link #DEFAULT_LEEWAY}, RFC 7519 §4.1.4
 * allows "some small leeway").
 */
public final class TokenVerifier {
    /** Clock skew tolerated on {@code exp} and {@code nbf}. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    /** Longest token looked at; LiveKit-style tokens are 300-600 characters. */
    public static final int MAX_TOKEN_CHARS = 4096;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ApiKey apiKey;
    private final Clock clock;
    private final Duration leeway;

    public TokenVerifier(ApiKey apiKey, Clock clock, Duration leeway) {
        this.apiKey = apiKey;
        this.clock = clock;
        this.leeway = leeway;
    }

    public TokenVerifier(ApiKey apiKey) {
        this(apiKey, Clock.systemUTC(), DEFAULT_LEEWAY);
    }

    /** The claims of a valid token, or the reason it is not. */
    public JoinToken verify(String jwt) throws TokenException {
        if (jwt == null || jwt.isEmpty()) throw invalid("the token is empty");
        if (jwt.length() > MAX_TOKEN_CHARS) throw invalid("the token is longer than " + MAX_TOKEN_CHARS + " characters");
        // RFC 7515 §7.1: exactly three base64url parts separated by dots.
        int firstDot = jwt.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : jwt.indexOf('.', firstDot + 1);
        if (secondDot < 0 || jwt.indexOf('.', secondDot + 1) >= 0) throw invalid("a token has three parts separated by dots");
        JsonNode header = json(jwt.substring(0, firstDot), "header");
        // RFC 8725 §3.1: the algorithm is fixed here, never chosen by the token ("none" included).
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !alg.textValue().equals(Hs256.ALG)) {
            throw invalid("the token must be signed with HS256");
        }
        if (header.has("crit")) throw invalid("the token has critical header parameters this server does not know"); // RFC 7515 §4.1.11
        if (!Hs256.verify(apiKey.secretBytes(), jwt.substring(0, secondDot), jwt.substring(secondDot + 1))) {
            throw invalid("the token's signature does not match this server's API secret");
        }
        JsonNode claims = json(jwt.substring(firstDot + 1, secondDot), "claims");
        if (!apiKey.key().equals(text(claims, "iss", 256))) throw invalid("the token was issued for another API key");
        String identity = text(claims, "sub", JoinToken.MAX_IDENTITY);
        if (identity == null || identity.isEmpty()) throw invalid("the token has no identity (sub)");
        String name = text(claims, "name", JoinToken.MAX_NAME);
        Instant expires = numericDate(claims, "exp");
        if (expires == null) throw invalid("the token has no expiry (exp)");
        Instant notBefore = numericDate(claims, "nbf");
        Instant now = clock.instant();
        // RFC 7519 §4.1.4: reject "on or after" exp; §4.1.5: reject before nbf.
        if (!now.isBefore(expires.plus(leeway))) throw new TokenException(EXPIRED, "the token expired at " + expires);
        if (notBefore != null && now.isBefore(notBefore.minus(leeway))) {
            throw new TokenException(NOT_YET_VALID, "the token is valid from " + notBefore);
        }
        JsonNode video = claims.get("video");
        if (video != null && !video.isNull() && !video.isObject()) throw invalid("claim 'video' must be an object");
        if (video == null || video.isNull()) video = JSON.createObjectNode();
        String room = text(video, "room", 64);
        return new JoinToken(identity, name, room == null || room.isEmpty() ? null : room,
                flag(video, "roomJoin", false), flag(video, "roomCreate", false),
                flag(video, "canPublish", true), flag(video, "canSubscribe", true), notBefore, expires);
    }

    private static JsonNode json(String part, String what) throws TokenException {
        byte[] bytes = Hs256.decode(part);
        if (bytes == null) throw invalid("the token's " + what + " is not base64url");
        JsonNode node;
        try {
            node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw invalid("the token's " + what + " is not JSON");
        }
        if (node == null || !node.isObject()) throw invalid("the token's " + what + " is not a JSON object");
        return node;
    }

    private static String text(JsonNode object, String claim, int max) throws TokenException {
        JsonNode value = object.get(claim);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual() || value.textValue().length() > max) {
            throw invalid("claim '" + claim + "' must be a string of at most " + max + " characters");
        }
        return value.textValue();
    }

    private static boolean flag(JsonNode object, String claim, boolean absent) throws TokenException {
        JsonNode value = object.get(claim);
        if (value == null || value.isNull()) return absent;
        if (!value.isBoolean()) throw invalid("claim 'video." + claim + "' must be true or false");
        return value.booleanValue();
    }

    /** RFC 7519 §2 NumericDate: seconds since the epoch, possibly with a fraction. */
    private static Instant numericDate(JsonNode claims, String claim) throws TokenException {
        JsonNode value = claims.get(claim);
        if (value == null || value.isNull()) return null;
        // Year 1 to 9999 keeps Instant arithmetic (and the leeway) far from overflow.
        if (!value.isNumber() || !(value.asDouble() >= -62_135_596_800d && value.asDouble() <= 253_402_300_799d)) {
            throw invalid("claim '" + claim + "' must be a NumericDate (seconds since 1970)");
        }
        return Instant.ofEpochSecond((long) Math.floor(value.asDouble()));
    }

    private static TokenException invalid(String why) {
        return new TokenException(INVALID, why);
    }
}
