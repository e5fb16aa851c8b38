package io.ackrotator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.MutableClock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sweep Lease: renewed only while it is still this sweep's, never written over another sweep's. */
@EnableKubernetesMockClient(crud = true)
class SweepLockTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final Duration DURATION = Duration.ofMinutes(15);
    KubernetesClient client;

    Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName(SweepLock.LEASE_NAME).get();
    }

    @Test
    void aRenewalIsAConditionalUpdateAndMovesTheRenewTime() {
        MutableClock clock = MutableClock.startingNow();
        SweepLock.Held held = new SweepLock(client, NAMESPACE, DURATION, clock).tryAcquire("sweep-a").orElseThrow();
        String before = lease().getMetadata().getResourceVersion();

        assertTrue(held.renewIfDue(), "nothing due yet");
        assertEquals(before, lease().getMetadata().getResourceVersion(), "no write before a third has passed");
        clock.advance(Duration.ofMinutes(6));
        assertTrue(held.renewIfDue());
        assertEquals(clock.instant(), lease().getSpec().getRenewTime().toInstant());
        clock.advance(Duration.ofMinutes(6));
        assertTrue(held.renewIfDue(), "the holder's own last write is the version it renews from");
    }

    @Test
    void aSweepWhoseLeaseWasTakenOverStopsAndNeverWritesTheOtherOne() {
        MutableClock clock = MutableClock.startingNow();
        SweepLock.Held slow = new SweepLock(client, NAMESPACE, DURATION, clock).tryAcquire("sweep-a").orElseThrow();
        clock.advance(DURATION.plusSeconds(1)); // a's Lease expired (a stalled); b takes over
        new SweepLock(client, NAMESPACE, DURATION, clock).tryAcquire("sweep-b").orElseThrow();
        String taken = lease().getMetadata().getResourceVersion();

        assertTrue(!slow.renewIfDue(), "lost");
        assertEquals("sweep-b", lease().getSpec().getHolderIdentity());
        assertEquals(taken, lease().getMetadata().getResourceVersion(), "b's Lease untouched");
        assertTrue(!slow.renewIfDue(), "stays lost");
        assertTrue(slow.release().isEmpty());
        assertEquals("sweep-b", lease().getSpec().getHolderIdentity(), "a's release leaves b's Lease alone");
    }
}
