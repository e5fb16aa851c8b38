package io.ackrotator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.AckCredentials;
import io.ackrotator.ack.AckSettings;
import io.ackrotator.ack.AliyunAckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.RateLimiter;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeAck.Operation;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreException;
import io.ackrotator.store.StoreUpdate;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One cluster's rotation against the ACK emulator, a member API server, and a CRUD Kubernetes store. */
@EnableKubernetesMockClient(crud = true)
class KubeconfigRotatorTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final ClusterId ID = ClusterId.of("c0000aaaa1111bbbb2222cccc3333dddd");

    KubernetesClient client;
    FakeAck ack;
    FakeAck.FakeCluster cluster;
    SecretKubeconfigStore store;
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));
    final RenewalPolicy policy = new RenewalPolicy(Duration.ofDays(170));

    @BeforeEach
    void setUp() {
        ack = FakeAck.start();
        cluster = ack.addCluster(ID.value(), "prod");
        store = new SecretKubeconfigStore(client, NAMESPACE);
    }

    @AfterEach
    void tearDown() {
        ack.close();
    }

    KubeconfigRotator rotator(KubeconfigStore using) {
        AliyunAckClient ackClient = new AliyunAckClient(new AckSettings("cn-hangzhou", ack.endpoint(), false,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(5), Duration.ofMillis(20)),
                new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()),
                new RateLimiter(1000), new ObjectMapper());
        return new KubeconfigRotator(using, ackClient, probe, policy, ack.clock(), id -> AckAccess.PUBLIC, id -> false);
    }

    KubeconfigRotator rotator(RenewalLock locks) {
        AliyunAckClient ackClient = new AliyunAckClient(new AckSettings("cn-hangzhou", ack.endpoint(), false,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(5), Duration.ofMillis(20)),
                new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()),
                new RateLimiter(1000), new ObjectMapper());
        return new KubeconfigRotator(store, ClusterPlacement.single(new io.ackrotator.ack.FleetScope(
                io.ackrotator.ack.FleetScope.HOME, "cn-hangzhou"), ackClient, List.of()), locks, probe, policy,
                ack.clock(), id -> AckAccess.PUBLIC, id -> false, Duration.ofDays(1));
    }

    /** The stored kubeconfig, marked as being revoked (the revoke action's first step). */
    void markRevoking(Kubeconfig kubeconfig) {
        store.recordRevocation(store.get(ID).orElseThrow(), new io.ackrotator.store.Revocation(
                io.ackrotator.store.Revocation.Phase.REVOKING, "laptop lost", ack.clock().instant(),
                kubeconfig.identity().serial(), Optional.empty()));
    }

    @Test
    void aRevocationWhoseLeaseAnotherRunHoldsIsLeftToItAndNothingIsRevoked() {
        markRevoking(seed(Duration.ofDays(600)));

        RotationResult result = rotator(id -> Optional.empty()).rotate(ID, false, false);

        assertEquals(RotationAction.DEFERRED, result.action(), result.message());
        assertTrue(KubeconfigRotator.leaseHeldElsewhere(result), "a batch waits for it: " + result.message());
        assertTrue(ack.calls(Operation.REVOKE).isEmpty());
        assertTrue(store.get(ID).orElseThrow().revocation().isPresent(), "still the other run's to finish");
    }

    @Test
    void aRevocationAnotherRunFinishedWhileThisOneWaitedForTheLeaseIsNotRevokedAgain() {
        markRevoking(seed(Duration.ofDays(600)));
        KubeconfigRotator other = rotator(store);
        RenewalLock grantedAfterTheOtherRun = id -> {
            assertEquals(RotationAction.REVOKED, other.rotate(id, false, false).action());
            return Optional.of(() -> { });
        };

        RotationResult result = rotator(grantedAfterTheOtherRun).rotate(ID, false, false);

        assertEquals(RotationAction.OK, result.action(), result.message());
        assertEquals(1, ack.calls(Operation.REVOKE).size(), "revoked once, by the other run");
        assertEquals(cluster.member().kubeSystemUid(), probe.probe(stored()).kubeSystemUid(),
                "what the other run stored still works");
    }

    /** A stored kubeconfig with {@code remaining} validity, as an earlier adoption would have left it. */
    Kubeconfig seed(Duration remaining) {
        Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), remaining, false));
        store.create(ID, new StoreUpdate(kubeconfig, Optional.empty(), AckAccess.PUBLIC,
                Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant().minus(Duration.ofDays(900))));
        return kubeconfig;
    }

    Secret secret() {
        return client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ID)).get();
    }

    Kubeconfig stored() {
        return Kubeconfig.parse(store.get(ID).orElseThrow().kubeconfig());
    }

    @Test
    void rotatesADueKubeconfigAndKeepsTheOldOneAsPrevious() {
        Kubeconfig old = seed(Duration.ofDays(30));

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.ROTATED, result.action(), result.message());
        Kubeconfig now = stored();
        assertEquals(cluster.currentLongTerm(ack.defaultIdentity().uid()).orElseThrow().getSerialNumber().toString(16),
                now.identity().serial());
        assertTrue(now.notAfter().isAfter(old.notAfter()));
        assertEquals(old.text(), store.get(ID).orElseThrow().previous().orElseThrow());
        assertEquals(old.notAfter(), result.oldNotAfter());
        assertEquals(now.notAfter(), result.newNotAfter());
        assertEquals(now.notAfter().toString(), secret().getMetadata().getAnnotations()
                .get(SecretKubeconfigStore.NOT_AFTER));
        assertEquals(now.identity().serial(), secret().getMetadata().getAnnotations().get(SecretKubeconfigStore.SERIAL));
        assertEquals(old.notAfter().toString(), secret().getMetadata().getAnnotations()
                .get(SecretKubeconfigStore.PREVIOUS_NOT_AFTER));
        assertTrue(events().contains("Rotated"));
        assertEquals(cluster.member().kubeSystemUid(), probe.probe(now).kubeSystemUid(), "the new one works");
        assertEquals(cluster.member().kubeSystemUid(), probe.probe(old).kubeSystemUid(), "the old one still works");
    }

    @Test
    void aKubeconfigOfAnotherIdentityIsRefusedUnlessReidentifyIsAsked() {
        Kubeconfig old = Kubeconfig.parse(cluster.seedLongTerm("27490000000777", Duration.ofDays(30), false));
        store.create(ID, new StoreUpdate(old, Optional.empty(), AckAccess.PUBLIC,
                Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant().minus(Duration.ofDays(900))));
        String version = secret().getMetadata().getResourceVersion();

        RotationResult refused = rotator(store).rotate(ID, false, true);

        assertEquals(RotationAction.FAILED, refused.action(), refused.message());
        assertTrue(refused.message().startsWith("ACK returned a kubeconfig of another identity (CN="
                + ack.defaultIdentity().uid() + ") than the stored one (CN=27490000000777)"), refused.message());
        assertEquals(old.identity().serial(), stored().identity().serial(), "force does not cover it");
        assertEquals(old.text(), store.get(ID).orElseThrow().kubeconfig());

        RotationResult reidentified = rotator(store).rotate(ID, false, false, true);

        assertEquals(RotationAction.ROTATED, reidentified.action(), reidentified.message());
        assertEquals(ack.defaultIdentity().uid(), stored().identity().user());
        assertTrue(!version.equals(secret().getMetadata().getResourceVersion()));
    }

    @Test
    void leavesAFreshKubeconfigAloneOnceItWasProvenToday() {
        seed(Duration.ofDays(400));
        RotationResult first = rotator(store).rotate(ID, false, false);
        assertEquals(RotationAction.OK, first.action());
        assertTrue(secret().getMetadata().getAnnotations().containsKey(SecretKubeconfigStore.PROBED_AT),
                "proven against its API server, and when is recorded");
        String version = secret().getMetadata().getResourceVersion();

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.OK, result.action());
        assertEquals(version, secret().getMetadata().getResourceVersion(), "not proven again within a day");
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void aStoredCertificateRevokedBehindTheFunctionsBackIsReplacedInTheSameSweep() {
        Kubeconfig old = seed(Duration.ofDays(400));
        ack.cluster(ID.value()).revokeAll(ack.defaultIdentity().uid()); // someone revoked it in the console

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.ROTATED, result.action(), result.message());
        assertEquals(CertificateState.REJECTED, result.state());
        Kubeconfig now = stored();
        assertTrue(!now.identity().serial().equals(old.identity().serial()));
        assertEquals(ack.cluster(ID.value()).member().kubeSystemUid(), probe.probe(now).kubeSystemUid());
        assertTrue(secret().getData().get(SecretKubeconfigStore.PREVIOUS_DATA_KEY) == null,
                "a refused certificate is not kept as a fallback");
        assertTrue(!secret().getMetadata().getAnnotations().containsKey(SecretKubeconfigStore.REJECTED_SERIAL));
    }

    @Test
    void forcingAFreshCertificateIsNotYetRenewable() {
        Kubeconfig old = seed(Duration.ofDays(400));

        RotationResult result = rotator(store).rotate(ID, false, true);

        assertEquals(RotationAction.NOT_YET_RENEWABLE, result.action(), result.message());
        assertEquals(old.identity().serial(), stored().identity().serial());
        assertTrue(events().contains("NotYetRenewable"));
    }

    @Test
    void dryRunFetchesAndWritesNothing() {
        seed(Duration.ofDays(10));
        String version = secret().getMetadata().getResourceVersion();

        RotationResult result = rotator(store).rotate(ID, true, false);

        assertEquals(RotationAction.DRY_RUN, result.action());
        assertTrue(result.message().startsWith("would rotate"), result.message());
        assertEquals(version, secret().getMetadata().getResourceVersion());
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void replacesAnExpiredKubeconfigWithoutKeepingTheDeadOne() {
        seed(Duration.ofDays(-2));

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.ROTATED, result.action(), result.message());
        assertEquals(CertificateState.EXPIRED, result.state());
        assertTrue(store.get(ID).orElseThrow().previous().isEmpty());
    }

    @Test
    void adoptsAClusterTheStoreDoesNotHold() {
        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.ADOPTED, result.action(), result.message());
        assertEquals(cluster.member().kubeSystemUid(), store.get(ID).orElseThrow().kubeSystemUid().orElseThrow());
        assertEquals("public", secret().getMetadata().getAnnotations().get(SecretKubeconfigStore.ACCESS));
        assertEquals(ID.value(), secret().getMetadata().getLabels().get(SecretKubeconfigStore.CLUSTER_ID_LABEL));
    }

    @Test
    void refusesAKubeconfigThatReachesAnotherClusterAndKeepsTheOldOne() {
        Kubeconfig old = seed(Duration.ofDays(20));
        String version = secret().getMetadata().getResourceVersion();
        cluster.recreateMember();

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.FAILED, result.action());
        assertTrue(result.message().contains("another cluster"), result.message());
        assertEquals(old.text(), store.get(ID).orElseThrow().kubeconfig());
        assertNotEquals(version, secret().getMetadata().getResourceVersion(), "only the last-error note was added");
        assertTrue(secret().getMetadata().getAnnotations().get(SecretKubeconfigStore.LAST_ERROR)
                .contains("another cluster"));
        assertTrue(events().contains("RotationFailed"));
    }

    @Test
    void reportsAChangedApiServerAddressAndKeepsTheOldOne() {
        Kubeconfig old = seed(Duration.ofDays(20));
        cluster.member().serveWrongCertificate(true);

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.FAILED, result.action());
        assertTrue(result.message().contains("API server certificate is not valid for 127.0.0.1"), result.message());
        assertEquals(old.text(), store.get(ID).orElseThrow().kubeconfig());
    }

    @Test
    void aCloudFailureLeavesTheStoredKubeconfigIntact() {
        Kubeconfig old = seed(Duration.ofDays(20));
        ack.failing(Operation.DESCRIBE_KUBECONFIG, FakeAck.Fault.serverError(), 100);

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.FAILED, result.action());
        assertEquals(Boolean.TRUE, result.retryable());
        assertTrue(result.message().contains("ServiceUnavailable"), result.message());
        assertEquals(old.text(), store.get(ID).orElseThrow().kubeconfig());
    }

    @Test
    void aWriteThatNeverHappenedLosesNothingAndTheNextRunConverges() {
        Kubeconfig old = seed(Duration.ofDays(20));
        KubeconfigStore crashingOnWrite = new ForwardingStore(store) {
            @Override
            public StoredKubeconfig replace(StoredKubeconfig current, StoreUpdate update) {
                throw new StoreException("updating Secret failed (HTTP 503)");
            }
        };

        RotationResult crashed = rotator(crashingOnWrite).rotate(ID, false, false);
        assertEquals(RotationAction.FAILED, crashed.action());
        assertEquals(old.text(), store.get(ID).orElseThrow().kubeconfig(), "the old kubeconfig is still there");
        assertEquals(cluster.member().kubeSystemUid(), probe.probe(old).kubeSystemUid(), "and still works");

        RotationResult next = rotator(store).rotate(ID, false, false);
        assertEquals(RotationAction.ROTATED, next.action(), next.message());
        assertEquals(cluster.currentLongTerm(ack.defaultIdentity().uid()).orElseThrow().getSerialNumber().toString(16),
                stored().identity().serial(), "the certificate ACK issued during the crashed run is the one stored");
    }

    /** The store, with another writer stepping in once, just before the rotator's first replace. */
    KubeconfigStore interferedOnce(java.util.function.BiConsumer<StoredKubeconfig, StoreUpdate> otherWriter) {
        AtomicBoolean interfered = new AtomicBoolean();
        return new ForwardingStore(store) {
            @Override
            public StoredKubeconfig replace(StoredKubeconfig current, StoreUpdate update) {
                if (interfered.compareAndSet(false, true)) {
                    otherWriter.accept(current, update);
                }
                return super.replace(current, update);
            }
        };
    }

    @Test
    void anotherWritersAnnotationIsKeptAndIsNoConflict() {
        seed(Duration.ofDays(20));
        KubeconfigStore racing = interferedOnce((current, update) -> client.secrets().inNamespace(NAMESPACE)
                .withName(SecretKubeconfigStore.secretName(ID)).edit(s -> {
                    s.getMetadata().getAnnotations().put("someone-else", "was-here");
                    return s;
                }));

        RotationResult result = rotator(racing).rotate(ID, false, false);

        assertEquals(RotationAction.ROTATED, result.action(), result.message());
        assertEquals("was-here", secret().getMetadata().getAnnotations().get("someone-else"),
                "the other writer's change survived: the write went on top of it");
        assertEquals(1, ack.calls(Operation.DESCRIBE_KUBECONFIG).size(), "an annotation is no reason to decide again");
    }

    @Test
    void aKubeconfigChangedUnderneathIsNeverOverwrittenBlindly() {
        seed(Duration.ofDays(20));
        // another rotator gets there first and stores the renewed kubeconfig
        KubeconfigStore racing = interferedOnce(store::replace);

        RotationResult result = rotator(racing).rotate(ID, false, false);

        assertEquals(RotationAction.OK, result.action(), "re-read, decided again: already renewed; "
                + result.message());
        assertEquals(cluster.currentLongTerm(ack.defaultIdentity().uid()).orElseThrow().getSerialNumber().toString(16),
                stored().identity().serial());
    }

    @Test
    void anUnreadableStoredEntryIsReplaced() {
        seed(Duration.ofDays(20));
        client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ID)).edit(s -> {
            s.getData().put(SecretKubeconfigStore.DATA_KEY, java.util.Base64.getEncoder().encodeToString(
                    "garbage: [".getBytes()));
            return s;
        });

        RotationResult result = rotator(store).rotate(ID, false, false);

        assertEquals(RotationAction.ROTATED, result.action(), result.message());
        assertEquals(CertificateState.UNREADABLE, result.state());
        assertTrue(store.get(ID).orElseThrow().previous().isEmpty(), "garbage is not kept as previous");
    }

    List<String> events() {
        return client.events().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .map(e -> e.getReason()).toList();
    }

    /** Delegates everything; tests override one method to play a crash or a concurrent writer. */
    static class ForwardingStore implements KubeconfigStore {
        private final KubeconfigStore delegate;

        ForwardingStore(KubeconfigStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<ClusterId> listIds() {
            return delegate.listIds();
        }

        @Override
        public List<StoredKubeconfig> list() {
            return delegate.list();
        }

        @Override
        public java.util.Map<ClusterId, Optional<io.ackrotator.store.StoredFacts>> listFacts() {
            return delegate.listFacts();
        }

        @Override
        public java.util.Map<ClusterId, io.ackrotator.ack.FleetScope> placements() {
            return delegate.placements();
        }

        @Override
        public Optional<StoredKubeconfig> get(ClusterId clusterId) {
            return delegate.get(clusterId);
        }

        @Override
        public StoredKubeconfig create(ClusterId clusterId, StoreUpdate update) {
            return delegate.create(clusterId, update);
        }

        @Override
        public StoredKubeconfig replace(StoredKubeconfig current, StoreUpdate update) {
            return delegate.replace(current, update);
        }

        @Override
        public void recordError(StoredKubeconfig current, String message, Instant at) {
            delegate.recordError(current, message, at);
        }

        @Override
        public boolean recordEvent(ClusterId clusterId, Instant at, String reason, String message, boolean warning) {
            return delegate.recordEvent(clusterId, at, reason, message, warning);
        }

        @Override
        public void recordProbe(StoredKubeconfig current, Instant at) {
            delegate.recordProbe(current, at);
        }

        @Override
        public void recordRejection(StoredKubeconfig current, io.ackrotator.store.Rejection rejection) {
            delegate.recordRejection(current, rejection);
        }

        @Override
        public StoredKubeconfig recordRevocation(StoredKubeconfig current, io.ackrotator.store.Revocation revocation) {
            return delegate.recordRevocation(current, revocation);
        }
    }
}
