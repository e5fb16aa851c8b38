package io.ackrotator.fc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** Bearer tokens are configured as SHA-256 hashes only, and compared in constant time. */
public final class BearerTokens {

    private BearerTokens() {
    }

    public static Optional<String> fromAuthorizationHeader(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a presented token with a configured hex SHA-256. */
    public static boolean matches(String presentedToken, String expectedSha256Hex) {
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(expectedSha256Hex.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return expected.length == 32 && MessageDigest.isEqual(sha256(presentedToken), expected);
    }

    public static void validateConfiguredHash(String property, String value) {
        if (!value.trim().matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(property + " must be the hex SHA-256 of a token (64 hex characters); "
                    + "e.g. printf %s \"$TOKEN\" | sha256sum");
        }
    }
}
