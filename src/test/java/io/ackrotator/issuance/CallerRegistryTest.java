package io.ackrotator.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.standin.StandIns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerRegistryTest {

    record CallerConfig(Optional<List<String>> tokenSha256, List<String> clusters, Optional<Duration> maxValidity,
            int maxPerHour, Optional<String> ramRoleArn, Optional<String> identity) implements IssuanceConfig.Caller {
        CallerConfig(String tokenSha256, List<String> clusters, Optional<Duration> maxValidity, int maxPerHour) {
            this(Optional.of(List.of(tokenSha256)), clusters, maxValidity, maxPerHour,
                    Optional.of("acs:ram::1234567890123456:role/ci-deployer"), Optional.empty());
        }

        CallerConfig withIdentity(Optional<String> role, Optional<String> identity) {
            return new CallerConfig(tokenSha256, clusters, maxValidity, maxPerHour, role, identity);
        }

        @Override
        public Optional<IssuanceConfig.Oidc> oidc() {
            return Optional.empty();
        }
    }

    static final Duration MIN = Duration.ofMinutes(30);
    static final Duration MAX = Duration.ofDays(3);

    @Test
    void scopesEachCallersClustersAndValidity() {
        CallerRegistry registry = CallerRegistry.from(Map.of(
                "ci", new CallerConfig(StandIns.sha256Hex("t1"), List.of("*"), Optional.empty(), 60),
                "team", new CallerConfig(StandIns.sha256Hex("t2"), List.of("c0123456789"),
                        Optional.of(Duration.ofHours(4)), 5)), MIN, MAX);

        Caller team = registry.named("team").orElseThrow();
        assertEquals(Duration.ofHours(4), team.maxValidity());
        assertEquals(5, team.maxPerHour());
        assertTrue(team.mayAccess(ClusterId.of("c0123456789")));
        assertTrue(!team.mayAccess(ClusterId.of("c9999999999")));
        assertTrue(registry.named("ci").orElseThrow().mayAccess(ClusterId.of("c9999999999")));
        assertEquals(MAX, registry.named("ci").orElseThrow().maxValidity());
        assertTrue(registry.named("nobody").isEmpty());
    }

    @Test
    void refusesConfigurationThatCantBeRight() {
        var e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("Team_A",
                new CallerConfig(StandIns.sha256Hex("t"), List.of("*"), Optional.empty(), 60)), MIN, MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.Team_A"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("x",
                new CallerConfig(StandIns.sha256Hex("t"), List.of("../c1"), Optional.empty(), 60)), MIN, MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.x.clusters"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("x",
                new CallerConfig(StandIns.sha256Hex("t"), List.of("*"), Optional.of(Duration.ofDays(4)), 60)), MIN,
                MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.x.max-validity"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("x",
                new CallerConfig(StandIns.sha256Hex("t"), List.of("*"), Optional.empty(), 0)), MIN, MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.x.max-per-hour"), e.getMessage());
    }

    @Test
    void aCallerHasItsOwnRoleUnlessTheFunctionsIdentityIsChosenExplicitly() {
        CallerConfig base = new CallerConfig(StandIns.sha256Hex("t"), List.of("*"), Optional.empty(), 60);
        assertEquals(Optional.of("acs:ram::1234567890123456:role/ci-deployer"), CallerRegistry.from(Map.of("ci", base),
                MIN, MAX).named("ci").orElseThrow().ramRoleArn());
        assertEquals(Optional.empty(), CallerRegistry.from(Map.of("ci", base.withIdentity(Optional.empty(),
                Optional.of("function"))), MIN, MAX).named("ci").orElseThrow().ramRoleArn());

        var neither = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("ci",
                base.withIdentity(Optional.empty(), Optional.empty())), MIN, MAX));
        assertTrue(neither.getMessage().startsWith("rotator.issue.callers.ci.ram-role-arn is required"),
                neither.getMessage());
        var both = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("ci",
                base.withIdentity(base.ramRoleArn(), Optional.of("function"))), MIN, MAX));
        assertTrue(both.getMessage().contains("exclude each other"), both.getMessage());
        var malformed = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("ci",
                base.withIdentity(Optional.of("arn:aws:iam::1:role/x"), Optional.empty())), MIN, MAX));
        assertTrue(malformed.getMessage().contains("acs:ram::<account-id>:role/<name>"), malformed.getMessage());
        var other = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("ci",
                base.withIdentity(Optional.empty(), Optional.of("admin"))), MIN, MAX));
        assertTrue(other.getMessage().contains("identity must be 'function'"), other.getMessage());
    }

    record Bounds(Duration minValidity, Duration maxValidity, Duration defaultValidity) implements IssuanceConfig {
        @Override
        public boolean auditEvents() {
            return false;
        }

        @Override
        public Exec exec() {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public Map<String, Caller> callers() {
            return Map.of();
        }

        @Override
        public Duration oidcJwksForcedRefresh() {
            return Duration.ofMinutes(30);
        }
    }

    @Test
    void globalBoundsMustLieWithinWhatAckAccepts() {
        TemporaryKubeconfigService.validateBounds(new Bounds(Duration.ofMinutes(15), Duration.ofMinutes(4320),
                Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> TemporaryKubeconfigService.validateBounds(
                new Bounds(Duration.ofMinutes(14), MAX, Duration.ofHours(1))));
        assertThrows(IllegalArgumentException.class, () -> TemporaryKubeconfigService.validateBounds(
                new Bounds(MIN, Duration.ofMinutes(4321), Duration.ofHours(1))));
        assertThrows(IllegalArgumentException.class, () -> TemporaryKubeconfigService.validateBounds(
                new Bounds(MIN, MAX, Duration.ofMinutes(10))));
    }
}
