package io.ackrotator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.issuance.IssuanceConfig;
import io.ackrotator.standin.StandIns;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

    record Caller(Optional<List<String>> tokenSha256, List<String> clusters, Optional<Duration> maxValidity, int maxPerHour)
            implements IssuanceConfig.Caller {
        @Override
        public Optional<String> ramRoleArn() {
            return Optional.empty();
        }

        @Override
        public Optional<String> identity() {
            return Optional.of("function");
        }

        @Override
        public Optional<IssuanceConfig.Oidc> oidc() {
            return Optional.empty();
        }

        static Caller withTokens(String... tokens) {
            return new Caller(Optional.of(List.of(tokens).stream().map(StandIns::sha256Hex).toList()), List.of("*"),
                    Optional.empty(), 60);
        }
    }

    record Issuance(Map<String, IssuanceConfig.Caller> callers) implements IssuanceConfig {
        @Override
        public Duration minValidity() {
            return Duration.ofMinutes(30);
        }

        @Override
        public Duration maxValidity() {
            return Duration.ofDays(3);
        }

        @Override
        public Duration defaultValidity() {
            return Duration.ofHours(1);
        }

        @Override
        public boolean auditEvents() {
            return false;
        }

        @Override
        public Exec exec() {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public Duration oidcJwksForcedRefresh() {
            return Duration.ofMinutes(30);
        }
    }

    static TokenRegistry registry(List<String> adminTokens, Map<String, IssuanceConfig.Caller> callers) {
        AdminConfig admin = () -> adminTokens.isEmpty() ? Optional.empty()
                : Optional.of(adminTokens.stream().map(StandIns::sha256Hex).toList());
        return new TokenRegistry(admin, new Issuance(callers), Optional::empty);
    }

    @Test
    void eachTokenIsItsPrincipalAndEveryHashOfAListCounts() {
        Map<String, IssuanceConfig.Caller> callers = new LinkedHashMap<>();
        callers.put("ci", Caller.withTokens("ci-old", "ci-new"));
        callers.put("team-a", Caller.withTokens("team"));
        TokenRegistry registry = registry(List.of("admin-old", "admin-new"), callers);

        assertEquals(Optional.of(Principal.admin()), registry.identify("admin-old"));
        assertEquals(Optional.of(Principal.admin()), registry.identify("admin-new"));
        assertEquals(Optional.of(Principal.caller("ci")), registry.identify("ci-old"));
        assertEquals(Optional.of(Principal.caller("ci")), registry.identify("ci-new"));
        assertEquals(Optional.of(Principal.caller("team-a")), registry.identify("team"));
        assertTrue(registry.identify("admin").isEmpty());
        assertTrue(registry.identify("").isEmpty());
        assertTrue(registry.hasAdmin());
        assertTrue(!registry(List.of(), callers).hasAdmin());
    }

    @Test
    void aHashThatTwoPrincipalsShareFailsStartUp() {
        var twoCallers = assertThrows(IllegalArgumentException.class, () -> registry(List.of(),
                new LinkedHashMap<>(Map.of("ci", Caller.withTokens("same"), "team-a", Caller.withTokens("same")))));
        assertTrue(twoCallers.getMessage().contains("repeats a hash of rotator.issue.callers."),
                twoCallers.getMessage());

        var adminAndCaller = assertThrows(IllegalArgumentException.class, () -> registry(List.of("same"),
                Map.of("ci", Caller.withTokens("same"))));
        assertTrue(adminAndCaller.getMessage().startsWith("rotator.issue.callers.ci.token-sha256 repeats a hash of "
                + "rotator.admin.token-sha256"), adminAndCaller.getMessage());
    }

    @Test
    void aHashMustBeOneHexSha256() {
        var plain = assertThrows(IllegalArgumentException.class, () -> new TokenRegistry(
                () -> Optional.of(List.of("plaintext-token")), new Issuance(Map.of()), Optional::empty));
        assertTrue(plain.getMessage().startsWith("rotator.admin.token-sha256 must be the hex SHA-256"),
                plain.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> new TokenRegistry(() -> Optional.empty(),
                new Issuance(Map.of("ci", new Caller(Optional.of(List.of()), List.of("*"), Optional.empty(), 60))),
                Optional::empty));
        assertTrue(empty.getMessage().startsWith("rotator.issue.callers.ci.token-sha256 is empty"),
                empty.getMessage());
    }

    @Test
    void theScrapeTokenIsItsOwnPrincipalAndCantBeAnothers() {
        TokenRegistry registry = new TokenRegistry(Optional::empty, new Issuance(Map.of()),
                () -> Optional.of(List.of(StandIns.sha256Hex("scrape-token"))));
        assertEquals(Optional.of(Principal.scraper()), registry.identify("scrape-token"));
        var shared = assertThrows(IllegalArgumentException.class, () -> new TokenRegistry(
                () -> Optional.of(List.of(StandIns.sha256Hex("same"))), new Issuance(Map.of()),
                () -> Optional.of(List.of(StandIns.sha256Hex("same")))));
        assertTrue(shared.getMessage().startsWith("rotator.metrics.token-sha256 repeats a hash"), shared.getMessage());
    }
}
