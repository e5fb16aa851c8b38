package io.ackrotator.kubesphere;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberCheckScheduleTest {

    static final Instant CHECKED = Instant.parse("2026-12-01T03:00:00Z");
    final MemberCheckSchedule daily = new MemberCheckSchedule(Duration.ofDays(1));
    final Optional<String> record = Optional.of(MemberCheckSchedule.record("kubeconfig-a", CHECKED));

    @Test
    void aMemberInSyncIsLeftAloneWithinTheInterval() {
        assertFalse(daily.due(record, Optional.of("kubeconfig-a"), false, CHECKED.plus(Duration.ofHours(20))));
    }

    @Test
    void theNextDailyTimerChecksAgainThoughItFiresAMinuteEarly() {
        assertTrue(daily.due(record, Optional.of("kubeconfig-a"), false,
                CHECKED.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(1))));
    }

    @Test
    void anotherKubeconfigInTheClusterARenewalOrNoRecordMeanAChecknow() {
        Instant soon = CHECKED.plus(Duration.ofMinutes(5));
        assertTrue(daily.due(record, Optional.of("kubeconfig-b"), false, soon), "what the Cluster holds changed");
        assertTrue(daily.due(record, Optional.of("kubeconfig-a"), true, soon), "renewed in this sweep");
        assertTrue(daily.due(Optional.empty(), Optional.of("kubeconfig-a"), false, soon), "never checked");
        assertTrue(daily.due(Optional.of("garbage"), Optional.of("kubeconfig-a"), false, soon), "unreadable record");
        assertTrue(daily.due(record, Optional.empty(), false, soon), "the Cluster holds no kubeconfig");
    }

    @Test
    void theRecordHoldsAFingerprintNeverTheKubeconfig() {
        String kept = MemberCheckSchedule.record("secret-kubeconfig-body", CHECKED);
        assertFalse(kept.contains("secret"));
        assertTrue(kept.matches("[0-9a-f]{24}@2026-12-01T03:00:00Z"), kept);
    }
}
