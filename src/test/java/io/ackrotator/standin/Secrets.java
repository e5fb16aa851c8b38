package io.ackrotator.standin;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fragments of secrets that must never appear in a log line or an error body, and the check itself. */
public final class Secrets {

    private static final Pattern DATA = Pattern.compile("(client-key-data|client-certificate-data): (\\S+)");

    private Secrets() {
    }

    /** Key and certificate material of a kubeconfig, as base64 and as the PEM body lines inside it. */
    public static List<String> ofKubeconfig(String kubeconfig) {
        List<String> fragments = new ArrayList<>();
        Matcher matcher = DATA.matcher(kubeconfig);
        while (matcher.find()) {
            String base64 = matcher.group(2);
            fragments.add(base64.substring(0, Math.min(48, base64.length())));
            String pem = new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII);
            pem.lines().filter(line -> !line.startsWith("-----") && line.length() >= 40)
                    .forEach(line -> fragments.add(line.substring(0, 40)));
        }
        return fragments;
    }

    public static void assertAbsent(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty() && text.contains(secret)) {
                fail("a secret (" + secret.substring(0, Math.min(6, secret.length())) + "…) appeared in " + where);
            }
        }
    }
}
