package io.ackrotator.standin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recognises secret material in text by its shape (so it catches any key or kubeconfig, not only the ones a test
 * knows) and by the stand-ins' fixed credentials. Reports what kind of secret it saw, never the secret itself.
 */
public final class Leaks {

    private static final Map<String, Pattern> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("a PEM private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));
        SHAPES.put("a PEM certificate body", Pattern.compile("-----BEGIN CERTIFICATE-----\\s*MI"));
        SHAPES.put("base64 of a PEM document (kubeconfig data)", Pattern.compile("LS0tLS1CRUdJTi[A-Za-z0-9+/=]{16,}"));
        SHAPES.put("base64 DER (a key or certificate)", Pattern.compile("MI[IHG][A-Za-z0-9+/]{60,}"));
        SHAPES.put("a kubeconfig credential value", Pattern.compile(
                "client-(key|certificate)-data\"?\\s*[:=]\\s*\"?[A-Za-z0-9+/=]{16,}"));
        SHAPES.put("a kubeconfig body", Pattern.compile("current-context:|\\bkind: Config\\b"));
    }

    /** The stand-ins' fixed secrets, each with what it is. */
    private static final Map<String, String> KNOWN = Map.of(
            FakeAck.DEFAULT_SECRET, "the AccessKey secret",
            StandIns.ADMIN_TOKEN, "the admin token",
            StandIns.CI_TOKEN, "a caller token",
            StandIns.TEAM_A_TOKEN, "a caller token",
            StandIns.BURST_TOKEN, "a caller token",
            StandIns.LOAD_TOKEN, "a caller token",
            "CAIS-role-token-0123", "an STS token");

    private Leaks() {
    }

    /** What kinds of secret {@code text} holds; empty when none. */
    public static List<String> find(String text) {
        List<String> found = new ArrayList<>();
        SHAPES.forEach((what, shape) -> {
            if (shape.matcher(text).find()) {
                found.add(what);
            }
        });
        KNOWN.forEach((secret, what) -> {
            if (text.contains(secret)) {
                found.add(what);
            }
        });
        return found;
    }

    public static void assertNone(String where, String text) {
        List<String> found = find(text);
        if (!found.isEmpty()) {
            throw new AssertionError("secret material in " + where + ": " + String.join(", ", found));
        }
    }
}
