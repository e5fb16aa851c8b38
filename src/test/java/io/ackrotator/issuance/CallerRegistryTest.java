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

    record CallerConfig(String tokenSha256, List<String> clusters, Optional<Duration> maxValidity, int maxPerHour)
            implements IssuanceConfig.Caller {
    }

    static final Duration MIN = Duration.ofMinutes(30);
    static final Duration MAX = Duration.ofDays(3);

    @Test
    void authenticatesByTokenHashAndScopesClusters() {
        CallerRegistry registry = CallerRegistry.from(Map.of(
                "ci", new CallerConfig(StandIns.sha256Hex("t1"), List.of("*"), Optional.empty(), 60),
                "team", new CallerConfig(StandIns.sha256Hex("t2").toUpperCase(), List.of("c0123456789"),
                        Optional.of(Duration.ofHours(4)), 5)), MIN, MAX);

        Caller team = registry.authenticate("t2").orElseThrow();
        assertEquals("team", team.name());
        assertEquals(Duration.ofHours(4), team.maxValidity());
        assertTrue(team.mayAccess(ClusterId.of("c0123456789")));
        assertTrue(!team.mayAccess(ClusterId.of("c9999999999")));
        assertTrue(registry.authenticate("t1").orElseThrow().mayAccess(ClusterId.of("c9999999999")));
        assertTrue(registry.authenticate("t3").isEmpty());
        assertTrue(registry.authenticate("").isEmpty());
    }

    @Test
    void refusesConfigurationThatCantBeRight() {
        var e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("x",
                new CallerConfig("plaintext-token", List.of("*"), Optional.empty(), 60)), MIN, MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.x.token-sha256"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("x",
                new CallerConfig(StandIns.sha256Hex("t"), List.of("../c1"), Optional.empty(), 60)), MIN, MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.x.clusters"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> CallerRegistry.from(Map.of("x",
                new CallerConfig(StandIns.sha256Hex("t"), List.of("*"), Optional.of(Duration.ofDays(4)), 60)), MIN,
                MAX));
        assertTrue(e.getMessage().startsWith("rotator.issue.callers.x.max-validity"), e.getMessage());
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

    @Test
    void withNoCallerConfiguredEveryRequestIsRefusedWithHowToConfigureOne() {
        io.ackrotator.rotation.RotationConfig rotation = (io.ackrotator.rotation.RotationConfig) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {io.ackrotator.rotation.RotationConfig.class},
                        (proxy, method, args) -> method.getName().equals("namespace") ? "ns" : null);
        TemporaryKubeconfigService service = new TemporaryKubeconfigService(new Bounds(MIN, MAX, Duration.ofHours(1)),
                rotation, java.time.Clock.systemUTC(), null);

        IssuanceRefusedException refused = assertThrows(IssuanceRefusedException.class,
                () -> service.authenticate(Optional.of("any-token"), Optional.empty(), null));
        assertEquals(403, refused.status());
        assertTrue(refused.getMessage().contains("rotator.issue.callers.<name>.token-sha256"), refused.getMessage());
    }
}
