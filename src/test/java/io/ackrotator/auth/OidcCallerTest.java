package io.ackrotator.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.LogCapture;
import io.ackrotator.standin.OidcIssuers;
import io.ackrotator.standin.Secrets;
import io.ackrotator.standin.StandIns;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CI jobs authenticate with their OIDC ID token instead of a static secret: signed by a key of the issuer's JWKS,
 * for the configured audience, valid now, and carrying the caller's claim values. Everything else is a 401 with an
 * audit line saying why, and never reaches issuance.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class OidcCallerTest {

    static final String CLUSTER = "c0idc000000000000000000000000000a";
    final FakeAck ack = StandIns.ack();
    static final OidcIssuers.Issuer GITHUB = StandIns.oidc().issuer("github");

    @BeforeEach
    void cluster() {
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "oidc");
        }
        ack.clock().advance(Duration.ofHours(1));
    }

    static ValidatableResponse issue(String idToken) {
        return given().header("Authorization", "Bearer " + idToken).contentType(ContentType.JSON)
                .body(Map.of("clusterId", CLUSTER, "validityMinutes", 30)).post("/issue").then();
    }

    static String deployToken() {
        return GITHUB.token(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB);
    }

    static Map<String, Object> job(Map<String, Object> base, String claim, Object value) {
        Map<String, Object> changed = new HashMap<>(base);
        changed.put(claim, value);
        return changed;
    }

    @Test
    void aGitHubActionsJobGetsAKubeconfigOfItsOwnRoleWithNoTokenConfiguredAnywhere() {
        assertTrue(ConfigProvider.getConfig().getOptionalValue("rotator.issue.callers.deploy.token-sha256",
                String.class).isEmpty(), "the caller has no static secret");
        String token = deployToken();
        try (LogCapture logs = LogCapture.start()) {
            Kubeconfig kubeconfig = Kubeconfig.parse(issue(token).statusCode(200).extract().path("kubeconfig"));

            assertEquals(StandIns.DEPLOY_ROLE_UID, kubeconfig.identity().user(), "the certificate is its role's");
            try (KubernetesClient kubectl = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeconfig.text())).build()) {
                assertEquals(0, kubectl.pods().inNamespace("team-b").list().getItems().size(), "pods in team-b");
                assertEquals(403, assertThrows(KubernetesClientException.class,
                        () -> kubectl.pods().inNamespace("team-a").list()).getCode(), "and nothing else");
            }
            String audit = auditLines(logs).get(0);
            assertTrue(audit.contains("\"caller\":\"deploy\"") && audit.contains("\"outcome\":\"issued\"")
                    && audit.contains("\"authentication\":{\"kind\":\"oidc\",\"issuer\":\"" + GITHUB.url()
                            + "\",\"subject\":\"repo:octo-org/deploy:ref:refs/heads/main\"}")
                    && audit.contains("\"roleArn\":\"" + StandIns.DEPLOY_ROLE + "\""), audit);
            Secrets.assertAbsent("the logs", logs.text(), List.of(token, token.substring(token.lastIndexOf('.'))));
        }
    }

    @Test
    void aTokenCallerIsAuditedAsSuch() {
        try (LogCapture logs = LogCapture.start()) {
            given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("clusterId", CLUSTER)).post("/issue").then().statusCode(200);
            assertTrue(auditLines(logs).get(0).contains("\"authentication\":{\"kind\":\"token\"}"),
                    auditLines(logs).get(0));
        }
    }

    @Test
    void aGitLabJobIsTellFromItsClaimsAndTheIssuersKeyRotationIsPickedUp() {
        OidcIssuers.Issuer gitlab = StandIns.oidc().issuer("gitlab");
        issue(gitlab.token(StandIns.OIDC_AUDIENCE, StandIns.GITLAB_JOB)).statusCode(200)
                .body("subject", org.hamcrest.Matchers.containsString(StandIns.CI_ROLE_UID));
        int fetches = gitlab.jwksFetches();

        gitlab.rotate("gitlab-2");
        issue(gitlab.token(StandIns.OIDC_AUDIENCE, StandIns.GITLAB_JOB)).statusCode(200);
        assertEquals(fetches + 1, gitlab.jwksFetches(), "one early fetch for the new kid");
        issue(gitlab.token(StandIns.OIDC_AUDIENCE, StandIns.GITLAB_JOB)).statusCode(200);
        assertEquals(fetches + 1, gitlab.jwksFetches(), "then cached");

        issue(gitlab.token(StandIns.OIDC_AUDIENCE, job(StandIns.GITLAB_JOB, "ref_protected", "false")))
                .statusCode(401).body("error", org.hamcrest.Matchers.containsString("matches no caller's claims"));
    }

    @Test
    void tokensWithMadeUpKidsCannotMakeTheFunctionHammerTheIssuer() {
        int before = GITHUB.jwksFetches();
        for (int i = 0; i < 5; i++) {
            issue(GITHUB.signWithUnpublishedKey(GITHUB.claims(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB,
                    Instant.now(), Instant.now().plusSeconds(300), Instant.now()), "made-up-" + i)).statusCode(401);
        }
        assertTrue(GITHUB.jwksFetches() - before <= 1, "at most one early fetch: " + (GITHUB.jwksFetches() - before));
        issue(deployToken()).statusCode(200);
    }

    static Stream<Arguments> refusedTokens() {
        Instant now = Instant.now();
        OidcIssuers.Issuer stranger = StandIns.oidc().issuer("stranger");
        Function<Map<String, Object>, JwtClaims> valid = job -> GITHUB.claims(StandIns.OIDC_AUDIENCE, job,
                now.minusSeconds(5), now.plusSeconds(300), now);
        return Stream.of(
                Arguments.of("wrong issuer", stranger.token(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB),
                        "no caller trusts ID tokens of issuer " + stranger.url()),
                Arguments.of("wrong audience", GITHUB.token("https://github.com/octo-org", StandIns.DEPLOY_JOB),
                        "is not for audience ack-kubeconfig-rotator"),
                Arguments.of("expired", GITHUB.sign(GITHUB.claims(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB,
                        now.minusSeconds(900), now.minusSeconds(120), now.minusSeconds(900))), "expired"),
                Arguments.of("not yet valid", GITHUB.sign(GITHUB.claims(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB,
                        now.plusSeconds(600), now.plusSeconds(900), now)), "not yet valid (nbf)"),
                Arguments.of("unknown kid", GITHUB.signWithUnpublishedKey(valid.apply(StandIns.DEPLOY_JOB), "x9"),
                        "key (kid) the issuer does not publish"),
                Arguments.of("alg none", GITHUB.unsigned(valid.apply(StandIns.DEPLOY_JOB)), "alg 'none'"),
                Arguments.of("HS256 with the public key", GITHUB.signHs256WithPublicKey(valid.apply(
                        StandIns.DEPLOY_JOB)), "alg 'HS256'"),
                Arguments.of("another repository", GITHUB.token(StandIns.OIDC_AUDIENCE,
                        job(StandIns.DEPLOY_JOB, "repository", "evil-org/deploy")), "matches no caller's claims"),
                Arguments.of("another branch", GITHUB.token(StandIns.OIDC_AUDIENCE,
                        job(StandIns.DEPLOY_JOB, "ref", "refs/heads/feature")), "matches no caller's claims"),
                Arguments.of("signed by another issuer's key under the trusted issuer's name", stranger.sign(
                        valid.apply(StandIns.DEPLOY_JOB)), "key (kid) the issuer does not publish"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedWith401AndAnAuditLine(String name, String token, String reason) {
        int stsCalls = ack.sts().assumptions().size();
        long ackCalls = ack.requests();
        try (LogCapture logs = LogCapture.start()) {
            issue(token).statusCode(401).body("error", org.hamcrest.Matchers.containsString(reason))
                    .body("field", org.hamcrest.Matchers.equalTo("Authorization"));
            List<String> audit = auditLines(logs);
            assertEquals(1, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(0).contains("\"outcome\":\"refused\"") && audit.get(0).contains("\"status\":401")
                    && audit.get(0).contains(reason) && audit.get(0).contains("\"kind\":\"oidc-unverified\"")
                    && !audit.get(0).contains("\"caller\""), audit.get(0));
            Secrets.assertAbsent("the logs", logs.text(), List.of(token));
        }
        assertEquals(stsCalls, ack.sts().assumptions().size(), "no role assumed");
        assertEquals(ackCalls, ack.requests(), "ACK never called");
    }

    @Test
    void theExecPluginsCredentialEndpointTakesIdTokensToo() {
        given().header("Authorization", "Bearer " + deployToken()).contentType(ContentType.JSON)
                .body(Map.of("clusterId", CLUSTER, "validityMinutes", 30)).post("/credential").then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.equalTo("ExecCredential"));
    }

    @Test
    void anIdTokenNeverOpensAdminEndpoints() {
        given().header("Authorization", "Bearer " + deployToken()).get("/status").then().statusCode(403);
    }

    static List<String> auditLines(LogCapture logs) {
        return logs.lines().stream().filter(l -> l.startsWith("io.ackrotator.audit")).toList();
    }
}
