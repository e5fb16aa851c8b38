package io.ackrotator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.issuance.IssuanceConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up refuses OIDC callers that would admit strangers or let one token be two callers. */
class OidcCallersTest {

    static final String GITHUB = "https://token.actions.githubusercontent.com";

    static OidcCallers callers(Map<String, String> properties) {
        IssuanceConfig config = new SmallRyeConfigBuilder().withMapping(IssuanceConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(IssuanceConfig.class);
        return new OidcCallers(config, Clock.systemUTC());
    }

    static Map<String, String> caller(String name, String issuer, String audience, String claims) {
        Map<String, String> properties = new HashMap<>();
        String prefix = "rotator.issue.callers." + name + ".";
        properties.put(prefix + "clusters", "*");
        properties.put(prefix + "identity", "function");
        properties.put(prefix + "oidc.issuer", issuer);
        properties.put(prefix + "oidc.audience", audience);
        if (claims != null) {
            properties.put(prefix + "oidc.claims", claims);
        }
        return properties;
    }

    static String refusal(Map<String, String> properties) {
        return assertThrows(IllegalArgumentException.class, () -> callers(properties)).getMessage();
    }

    @Test
    void callersOfOneIssuerThatDifferInAClaimAreTold() {
        Map<String, String> both = caller("deploy", GITHUB, "rotator", "repository=octo-org/deploy,ref=refs/heads/main");
        both.putAll(caller("staging", GITHUB, "rotator", "repository=octo-org/deploy,ref=refs/heads/staging"));
        both.putAll(caller("other", GITHUB, "other-audience", "repository=octo-org/deploy"));
        assertTrue(!callers(both).isEmpty());
    }

    @Test
    void oneTokenNeverMatchesTwoCallers() {
        Map<String, String> overlapping = caller("deploy", GITHUB, "rotator", "repository=octo-org/deploy");
        overlapping.putAll(caller("main", GITHUB, "rotator", "ref=refs/heads/main"));
        String message = refusal(overlapping);
        assertTrue(message.contains("one token could match both"), message);
    }

    @Test
    void issuerAndAudienceAloneAdmitEveryJobOfTheIssuer() {
        String message = refusal(caller("deploy", GITHUB, "rotator", null));
        assertTrue(message.startsWith("rotator.issue.callers.deploy.oidc.claims"), message);
    }

    @Test
    void keysComeOverHttpsOnly() {
        assertTrue(refusal(caller("deploy", "http://gitlab.example", "rotator", "project_path=a/b"))
                .startsWith("rotator.issue.callers.deploy.oidc.issuer must be an https:// URL"));
        Map<String, String> jwks = caller("deploy", GITHUB, "rotator", "repository=a/b");
        jwks.put("rotator.issue.callers.deploy.oidc.jwks-url", "http://keys.example/jwks");
        assertTrue(refusal(jwks).startsWith("rotator.issue.callers.deploy.oidc.jwks-url"));
    }

    @Test
    void matchersNameTheJobNotWhatIsCheckedAnyway() {
        assertTrue(refusal(caller("deploy", GITHUB, "rotator", "aud=rotator")).contains("is checked already"));
        assertTrue(refusal(caller("deploy", GITHUB, "rotator", "repository")).contains("must be claim=value"));
    }

    @Test
    void opaqueTokensAreNotIdTokens() {
        OidcCallers callers = callers(caller("deploy", GITHUB, "rotator", "repository=a/b"));
        assertEquals(java.util.Optional.empty(), callers.identify("ci-token-7f3a9c0e5b2d4f6a8c1e3b5d7f9a0c2e"));
        assertEquals(java.util.Optional.empty(), callers.identify("a.b.c"));
    }
}
