package io.ackrotator.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digests the function signs and fingerprints with: HMACs of UTF-8 text under a UTF-8 key (the notification
 * channels, FC's V3 signature) and SHA-256 in hex (FC's body hash, the store's and member checks' fingerprints).
 */
public final class Digests {

    private Digests() {
    }

    public static byte[] hmacSha256(String key, String text) {
        return mac("HmacSHA256", key, text);
    }

    public static byte[] hmacSha1(String key, String text) {
        return mac("HmacSHA1", key, text);
    }

    /** Lowercase hex of {@code bytes}' SHA-256. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] mac(String algorithm, String key, String text) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
