package io.ackrotator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A compact JWS read without verifying it: only to pick the issuer whose keys then verify it, to refuse an
 * algorithm before any key is looked up, and to read claims of a token the library has verified.
 */
record UnverifiedJwt(JsonNode header, JsonNode claims) {

    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Empty when the token is not shaped like a JWS (an opaque bearer token). */
    static Optional<UnverifiedJwt> parse(String token) {
        if (token.length() > 16_384 || !COMPACT.matcher(token).matches()) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return header != null && header.isObject() && claims != null && claims.isObject()
                    ? Optional.of(new UnverifiedJwt(header, claims)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String algorithm() {
        return header.path("alg").asText("");
    }

    Optional<String> issuer() {
        JsonNode iss = claims.get("iss");
        return iss != null && iss.isTextual() ? Optional.of(iss.textValue()) : Optional.empty();
    }

    Optional<String> subject() {
        JsonNode sub = claims.get("sub");
        return sub != null && sub.isTextual() ? Optional.of(sub.textValue()) : Optional.empty();
    }
}
