package dev.parley.signaling.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Signs join tokens with an API key: for {@code parley token}, tests, and as a model for operators. */
public final class TokenMinter {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final ApiKey apiKey;

    public TokenMinter(ApiKey apiKey) {
        this.apiKey = apiKey;
    }

    /** The JWT (RFC 7519 §7.1: a JWS over the claims set) for {@code token}. */
    public String mint(JoinToken token) {
        ObjectNode header = JSON.createObjectNode().put("alg", Hs256.ALG).put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", apiKey.key());
        claims.put("sub", token.identity());
        if (token.name() != null) claims.put("name", token.name());
        if (token.notBefore() != null) claims.put("nbf", token.notBefore().getEpochSecond());
        claims.put("exp", token.expires().getEpochSecond());
        ObjectNode video = claims.putObject("video");
        if (token.room() != null) video.put("room", token.room());
        video.put("roomJoin", token.roomJoin());
        if (token.roomCreate()) video.put("roomCreate", true);
        video.put("canPublish", token.canPublish());
        video.put("canSubscribe", token.canSubscribe());
        return Hs256.sign(apiKey.secretBytes(), utf8(header), utf8(claims));
    }

    private static byte[] utf8(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
