package io.ackrotator.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hourly count in the host: exact across instances, one request per issuance once an instance has written it. */
@EnableKubernetesMockClient(crud = true)
class CallerQuotaTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final Caller BURST = new Caller("burst", Set.of("*"), Duration.ofHours(1), 3, Optional.empty());

    KubernetesMockServer server;
    KubernetesClient client;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:15:00Z"));

    @Test
    void twoInstancesTogetherHandOutExactlyTheHourlyLimit() {
        CallerQuota first = new CallerQuota(NAMESPACE, clock);
        CallerQuota second = new CallerQuota(NAMESPACE, clock);

        assertTrue(first.tryTake(client, BURST));
        assertTrue(second.tryTake(client, BURST));
        assertTrue(first.tryTake(client, BURST)); // its remembered counter is stale: a conflict, then a fresh read
        assertFalse(second.tryTake(client, BURST));
        assertFalse(first.tryTake(client, BURST));
        assertEquals("3", client.configMaps().inNamespace(NAMESPACE).withName(CallerQuota.PREFIX + "burst").get()
                .getData().get("count"));
    }

    @Test
    void anInstanceAloneWritesOnFromItsLastCounterWithoutReadingIt() {
        CallerQuota quota = new CallerQuota(NAMESPACE, clock);
        assertTrue(quota.tryTake(client, BURST));
        int before = server.getRequestCount();

        assertTrue(quota.tryTake(client, BURST));

        assertEquals(1, server.getRequestCount() - before);
    }

    @Test
    void aCountResetInTheHostIsSeenAlthoughThisInstanceRemembersTheHourAsUsedUp() {
        CallerQuota quota = new CallerQuota(NAMESPACE, clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(quota.tryTake(client, BURST));
        }
        assertFalse(quota.tryTake(client, BURST));

        client.configMaps().inNamespace(NAMESPACE).withName(CallerQuota.PREFIX + "burst").delete();

        assertTrue(quota.tryTake(client, BURST));
    }

    @Test
    void aCounterDeletedSinceThisInstanceWroteItIsCreatedAgain() {
        CallerQuota quota = new CallerQuota(NAMESPACE, clock);
        assertTrue(quota.tryTake(client, BURST));
        client.configMaps().inNamespace(NAMESPACE).withName(CallerQuota.PREFIX + "burst").delete();

        assertTrue(quota.tryTake(client, BURST));

        assertEquals("1", client.configMaps().inNamespace(NAMESPACE).withName(CallerQuota.PREFIX + "burst").get()
                .getData().get("count"));
    }

    @Test
    void aNewHourStartsAFreshCount() {
        CallerQuota quota = new CallerQuota(NAMESPACE, clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(quota.tryTake(client, BURST));
        }
        clock.advance(Duration.ofHours(1));

        assertTrue(quota.tryTake(client, BURST));
    }
}
