package io.ackrotator.ack;

import java.util.Locale;
import java.util.regex.Pattern;

/** Makes ACK's error messages safe to log and to return. */
public final class AckErrorMessages {

    private static final int MAX_LENGTH = 200;
    private static final Pattern LONG_TOKEN = Pattern.compile("[A-Za-z0-9+/=_\\-.:]{40,}");

    private AckErrorMessages() {
    }

    /**
     * Signature errors echo the gateway's string to sign, which holds the {@code x-acs-security-token}: drop those
     * messages whole. Elsewhere, cut anything after a "string to sign" marker and mask long opaque tokens.
     */
    public static String redact(String code, String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String lowerCode = code == null ? "" : code.toLowerCase(Locale.ROOT);
        if (lowerCode.contains("signature") || lowerCode.contains("securitytoken") || lowerCode.contains("accesskey")) {
            return "";
        }
        String text = message.replaceAll("[\\r\\n\\t]+", " ");
        int marker = indexOfStringToSign(text);
        if (marker >= 0) {
            text = text.substring(0, marker) + "[string to sign redacted]";
        }
        text = LONG_TOKEN.matcher(text).replaceAll("[redacted]");
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "…" : text;
    }

    private static int indexOfStringToSign(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int best = -1;
        for (String marker : new String[] {"stringtosign", "string to sign", "string-to-sign", "x-acs-security-token"}) {
            int at = lower.indexOf(marker);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }
}
