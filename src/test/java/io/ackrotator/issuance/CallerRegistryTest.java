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

    record CallerConfig(List<String> tokenSha256, List<String> clusters, Optional<Duration> maxValidity,
            int maxPerHour) implements IssuanceConfig.Caller {
        CallerConfig(String tokenSha256, List<String> clusters, Optional<Duration> maxValidity, int maxPerHour) {
            this(List.of(tokenSha256), clusters, maxValidity, maxPerHour);
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

    record Bounds(Duration minValidity, Duration maxValidity, Duration defaultValidity) implements IssuanceConfig {
        @Override
        public boolean auditEvents() {
            return false;
        }

        @Override
        public Map<String, Caller> callers() {
            return Map.of();
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
