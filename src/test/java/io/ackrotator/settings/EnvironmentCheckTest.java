package io.ackrotator.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EnvironmentCheckTest {

    @Test
    void aMisspeltVariableIsNamedWithTheNearestKnownOne() {
        List<String> problems = EnvironmentCheck.problems(Map.of("ROTATOR_RENEW_BEFOR", "P400D",
                "ACK_REGOIN", "cn-beijing", "PATH", "/bin", "ALIBABA_CLOUD_ACCESS_KEY_ID", "x"),
                EnvironmentCheck.known());

        assertEquals(List.of("unknown environment variable ACK_REGOIN (did you mean ACK_REGION?)",
                "unknown environment variable ROTATOR_RENEW_BEFOR (did you mean ROTATOR_RENEW_BEFORE?)"), problems);
        assertEquals("ROTATOR_ISSUE_CALLERS_<NAME>_MAX_PER_HOUR", EnvironmentCheck.nearest(
                "ROTATOR_ISSUE_CALLERS_CI_MAX_PER_HOR", EnvironmentCheck.known()));
    }

    @Test
    void everyFormOfAKnownPropertyPasses() {
        Map<String, String> environment = new java.util.HashMap<>();
        for (String variable : List.of("ROTATOR_RENEW_BEFORE", "ROTATOR_FACE", "ACK_REGION", "ACK_RETRY_MAX_ATTEMPTS",
                "ACK_CREDENTIALS_ACCESS_KEY_ID", "ROTATOR_ISSUE_CALLERS_TEAM_A_TOKEN_SHA256",
                "ROTATOR_ISSUE_CALLERS_CI_CLUSTERS", "ROTATOR_KUBESPHERE_MEMBERS_KS_MEMBER_1",
                "ROTATOR_ACCESS_C0123456789", "ROTATOR_CLUSTERS", "ROTATOR_CLUSTERS_0_", "ROTATOR_ADMIN_TOKEN_SHA256",
                "ROTATOR_HOST_ACK_CLUSTER_ID", "ROTATOR_SCHEDULE_CRON", "ROTATOR_KUBESPHERE_ENABLED",
                "ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_ISSUER", "ROTATOR_ISSUE_CALLERS_GITLAB_INFRA_OIDC_CLAIMS",
                "ROTATOR_ISSUE_CALLERS_CI_OIDC_JWKS_URL", "ROTATOR_ISSUE_OIDC_JWKS_FORCED_REFRESH")) {
            environment.put(variable, "x");
        }
        assertEquals(List.of(), EnvironmentCheck.problems(environment, EnvironmentCheck.known()));
    }

    @Test
    void namesWithHyphensHaveAnEnvironmentForm() {
        NamedMapEnvSource source = new NamedMapEnvSource(Map.of(
                "ROTATOR_ISSUE_CALLERS_TEAM_A_TOKEN_SHA256", "h1",
                "ROTATOR_ISSUE_CALLERS_GITLAB_INFRA_OIDC_ISSUER", "https://gitlab.com",
                "ROTATOR_ISSUE_CALLERS_GITLAB_INFRA_OIDC_CA_FILE", "/ca.pem",
                "ROTATOR_ISSUE_CALLERS_TEAM_A_MAX_VALIDITY", "PT4H",
                "ROTATOR_ISSUE_CALLERS_DEPLOY_BOT_2_MAX_PER_HOUR", "5",
                "ROTATOR_ISSUE_CALLERS_CI_CLUSTERS", "*",
                "ROTATOR_KUBESPHERE_MEMBERS_KS_MEMBER_1", "c1",
                "ROTATOR_ISSUE_CALLERS_TOKEN_SHA256", "no name",
                "ROTATOR_RENEW_BEFORE", "P170D"));

        assertEquals(Map.of("rotator.issue.callers.team-a.token-sha256", "h1",
                "rotator.issue.callers.gitlab-infra.oidc.issuer", "https://gitlab.com",
                "rotator.issue.callers.gitlab-infra.oidc.ca-file", "/ca.pem",
                "rotator.issue.callers.team-a.max-validity", "PT4H",
                "rotator.issue.callers.deploy-bot-2.max-per-hour", "5",
                "rotator.issue.callers.ci.clusters", "*",
                "rotator.kubesphere.members.ks-member-1", "c1"), source.getProperties());
        assertEquals(Optional.empty(), NamedMapEnvSource.property("ROTATOR_ISSUE_CALLERS_TEAM_A_COLOUR"));
    }

    @Test
    void everyConfigMappingOfTheFunctionIsChecked() throws IOException {
        Path classes = Path.of("target/classes");
        Set<Class<?>> mappings;
        try (Stream<Path> files = Files.walk(classes)) {
            mappings = files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> !name.contains("$"))
                    .map(EnvironmentCheckTest::load)
                    .filter(type -> type.isAnnotationPresent(ConfigMapping.class))
                    .collect(Collectors.toSet());
        }
        assertTrue(mappings.size() >= 8, mappings.toString());
        assertEquals(mappings, Set.copyOf(EnvironmentCheck.MAPPINGS));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, EnvironmentCheckTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(name, e);
        }
    }
}
