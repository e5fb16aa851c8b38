package io.ackrotator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.Kubeconfigs;
import io.ackrotator.standin.TestPki;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RenewalPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    static final TestPki.Issued CA = TestPki.certificateAuthority("ca", Instant.now().minus(Duration.ofDays(1)),
            Instant.now().plus(Duration.ofDays(3650)));
    final RenewalPolicy policy = new RenewalPolicy(Duration.ofDays(170));

    static String kubeconfigExpiringIn(Duration remaining) {
        Instant notAfter = NOW.plus(remaining).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued client = TestPki.clientCertificate(CA, "u", List.of("system:users"),
                notAfter.minus(Duration.ofDays(1095)), notAfter);
        return Kubeconfigs.render("kubernetes", URI.create("https://10.0.0.1:6443"), CA.certificate(), client, "u");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Named.of("does nothing for a fresh certificate", Optional.of(kubeconfigExpiringIn(
                        Duration.ofDays(900)))), CertificateState.OK, false),
                Arguments.of(Named.of("does nothing with exactly renew-before left", Optional.of(kubeconfigExpiringIn(
                        Duration.ofDays(170)))), CertificateState.OK, false),
                Arguments.of(Named.of("renews when less than renew-before remains", Optional.of(kubeconfigExpiringIn(
                        Duration.ofDays(170).minusSeconds(1)))), CertificateState.DUE, true),
                Arguments.of(Named.of("renews an expired certificate", Optional.of(kubeconfigExpiringIn(
                        Duration.ofDays(-3)))), CertificateState.EXPIRED, true),
                Arguments.of(Named.of("treats the instant of notAfter as expired", Optional.of(kubeconfigExpiringIn(
                        Duration.ZERO))), CertificateState.EXPIRED, true),
                Arguments.of(Named.of("fetches a first kubeconfig when none is stored", Optional.empty()),
                        CertificateState.MISSING, true),
                Arguments.of(Named.of("treats an empty entry as missing", Optional.of("")), CertificateState.MISSING,
                        true),
                Arguments.of(Named.of("replaces an unreadable entry", Optional.of("not: [a kubeconfig")),
                        CertificateState.UNREADABLE, true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decides(Optional<String> stored, CertificateState expectedState, boolean expectedRenew) {
        RenewalDecision decision = policy.evaluate(stored, NOW);
        assertEquals(expectedState, decision.state(), decision.message());
        assertEquals(expectedRenew, decision.renew());
    }

    @Test
    void unreadableSaysWhichField() {
        RenewalDecision decision = policy.evaluate(Optional.of("apiVersion: v1\nkind: Config\n"), NOW);
        assertTrue(decision.message().contains("clusters"), decision.message());
    }

    @Test
    void refusesARenewBeforeLongerThanAcksWindow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RenewalPolicy(Duration.ofDays(181)));
        assertTrue(e.getMessage().contains("rotator.renew-before"));
        assertTrue(e.getMessage().contains("P180D"));
        assertEquals(Duration.ofDays(180), new RenewalPolicy(Duration.ofDays(180)).renewBefore());
        assertThrows(IllegalArgumentException.class, () -> new RenewalPolicy(Duration.ZERO));
    }

    @Test
    void aDailyProbeIsDueDailyEvenWhenTheSweepStartsAFewSecondsEarlier() {
        java.time.Instant proven = java.time.Instant.parse("2026-12-01T03:00:05Z");
        Duration day = Duration.ofDays(1);
        assertTrue(RenewalPolicy.probeDue(Optional.of(proven), day, proven.plus(day).minusSeconds(4)));
        assertTrue(!RenewalPolicy.probeDue(Optional.of(proven), day, proven.plus(Duration.ofHours(22))));
        assertTrue(RenewalPolicy.probeDue(Optional.empty(), day, proven));
        assertTrue(RenewalPolicy.probeDue(Optional.of(proven), Duration.ZERO, proven));
    }
}
