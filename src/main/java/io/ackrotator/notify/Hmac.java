package io.ackrotator.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC of UTF-8 text under a UTF-8 key: what the channels sign their messages with. */
final class Hmac {

    private Hmac() {
    }

    static byte[] sha256(String key, String text) {
        return mac("HmacSHA256", key, text);
    }

    static byte[] sha1(String key, String text) {
        return mac("HmacSHA1", key, text);
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
