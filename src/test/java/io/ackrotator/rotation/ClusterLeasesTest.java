package io.ackrotator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cluster's Lease must outlast a renewal at its slowest, or a dead run's late revoke could hit the next holder. */
class ClusterLeasesTest {

    @Test
    void theSlowestRenewalIsTwoAckCallsWithEveryRetryAndTwoApiServerChecks() {
        // the defaults: 4 attempts of 5 s connect + 20 s read, 8 s between them; 10 s per API server check
        Duration slowest = ClusterLeases.slowestRenewal(Duration.ofSeconds(5), Duration.ofSeconds(20), 4,
                Duration.ofSeconds(8), Duration.ofSeconds(10));

        assertEquals(Duration.ofSeconds(2 * (4 * 25 + 3 * 8) + 2 * 10), slowest);
        assertEquals(true, slowest.compareTo(Duration.ofMinutes(5)) < 0, "the default Lease outlasts it");
    }

    @Test
    void startUpRefusesALeaseShorterThanTheSlowestRenewalNamingTheSetting() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ClusterLeases.validated(Duration.ofSeconds(30),
                        Duration.ofSeconds(268)));

        assertEquals(true, refused.getMessage().startsWith("rotator.cluster-lease-duration (PT30S) must outlast"),
                refused.getMessage());
        assertEquals(Duration.ofMinutes(5), ClusterLeases.validated(Duration.ofMinutes(5), Duration.ofSeconds(268)));
    }

    @Test
    void oneAttemptHasNoBackoff() {
        assertEquals(Duration.ofSeconds(2 * 3 + 2), ClusterLeases.slowestRenewal(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, Duration.ofSeconds(8), Duration.ofSeconds(1)));
    }
}
