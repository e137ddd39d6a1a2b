package dev.parley.turn;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.MessageIntegrity;
import dev.parley.codec.stun.MessageIntegritySha256;
import dev.parley.codec.stun.StunMessage;
import java.net.InetAddress;
import java.util.Map;

/**
 * RFC 8489 §9.2 long-term credential check with stateless nonces, for static users and TURN REST
 * API usernames ({@code expiry:identity}, password base64(HMAC-SHA1(secret, username))).
 */
final class Authenticator {
    /** Why a request was not authenticated; the metric label, never the username. */
    enum Failure {
        CHALLENGE("challenge"), BAD_REQUEST("bad_request"), STALE_NONCE("stale_nonce"), UNKNOWN_USER("unknown_user"),
        EXPIRED("expired"), EXPIRY_TOO_FAR("expiry_too_far"), BAD_INTEGRITY("bad_integrity");

        final String label;

        Failure(String label) {
            this.label = label;
        }
    }

    /** Result: either a failure, or the username and the key to sign the response with. */
    record Result(Failure failure, String username, byte[] key, boolean sha256) {
        boolean ok() {
            return failure == null;
        }
    }

    private final String realm;
    private final String sharedSecret;
    private final Map<String, String> users;
    private final long maxExpirySeconds;
    private final Nonces nonces;

    Authenticator(TurnSettings settings, Nonces nonces) {
        this.realm = settings.realm();
        this.sharedSecret = settings.sharedSecret();
        this.users = settings.users();
        this.maxExpirySeconds = settings.maxCredentialExpiry().toSeconds();
        this.nonces = nonces;
    }

    String realm() {
        return realm;
    }

    String nonceFor(InetAddress client, long nowSeconds) {
        return nonces.issue(client, nowSeconds);
    }

    Result authenticate(StunMessage request, InetAddress client, long nowSeconds) {
        boolean hasSha1 = MessageIntegrity.isPresent(request);
        boolean hasSha256 = MessageIntegritySha256.isPresent(request);
        if (!hasSha1 && !hasSha256) return fail(Failure.CHALLENGE);
        String username = request.username();
        String requestRealm = request.realm();
        String nonce = request.nonce();
        if (username == null || requestRealm == null || nonce == null) return fail(Failure.BAD_REQUEST);
        Nonces.Check nonceCheck = nonces.check(nonce, client, nowSeconds);
        if (nonceCheck == Nonces.Check.INVALID) return fail(Failure.STALE_NONCE);
        if (nonceCheck == Nonces.Check.STALE) return fail(Failure.STALE_NONCE);
        if (!realm.equals(requestRealm)) return fail(Failure.UNKNOWN_USER);
        String password = users.get(username);
        if (password == null) {
            if (sharedSecret == null) return fail(Failure.UNKNOWN_USER);
            int colon = username.indexOf(':');
            String expiryText = colon < 0 ? username : username.substring(0, colon);
            long expiry;
            try {
                expiry = Long.parseLong(expiryText);
            } catch (NumberFormatException e) {
                return fail(Failure.UNKNOWN_USER);
            }
            if (expiry < nowSeconds) return fail(Failure.EXPIRED);
            if (expiry - nowSeconds > maxExpirySeconds) return fail(Failure.EXPIRY_TOO_FAR);
            password = TurnCredentials.password(sharedSecret, username);
        }
        boolean sha256Keys = request.has(AttributeType.PASSWORD_ALGORITHM) && passwordAlgorithmIsSha256(request);
        byte[] key = sha256Keys ? MessageIntegrity.longTermKeySha256(username, realm, password)
                : MessageIntegrity.longTermKey(username, realm, password);
        // RFC 8489 §9.2.4: check MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY
        boolean ok = hasSha256 ? MessageIntegritySha256.check(request, key) : MessageIntegrity.check(request, key);
        if (!ok) return fail(Failure.BAD_INTEGRITY);
        return new Result(null, username, key, hasSha256);
    }

    private static boolean passwordAlgorithmIsSha256(StunMessage request) {
        byte[] v = request.value(AttributeType.PASSWORD_ALGORITHM);
        return v != null && v.length >= 2 && v[0] == 0 && v[1] == 2;
    }

    private static Result fail(Failure failure) {
        return new Result(failure, null, null, false);
    }
}
