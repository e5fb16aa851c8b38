package io.ackrotator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's replace: on top of what other writers added, never over a kubeconfig it did not decide on. */
@EnableKubernetesMockClient(crud = true)
class SecretKubeconfigStoreTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final ClusterId ID = ClusterId.of("c5ec2e7000000000000000000000000aa");
    KubernetesClient client;
    FakeAck ack;
    FakeAck.FakeCluster cluster;
    SecretKubeconfigStore store;

    @BeforeEach
    void setUp() {
        ack = FakeAck.start();
        cluster = ack.addCluster(ID.value(), "store");
        store = new SecretKubeconfigStore(client, NAMESPACE);
    }

    @AfterEach
    void tearDown() {
        ack.close();
    }

    Kubeconfig issue(Duration remaining) {
        return Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), remaining, false));
    }

    StoreUpdate update(Kubeconfig kubeconfig, Optional<Kubeconfig> previous) {
        return new StoreUpdate(kubeconfig, previous, AckAccess.PUBLIC, Optional.of("uid"), ack.clock().instant());
    }

    Secret secret() {
        return client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ID)).get();
    }

    @Test
    void aReplaceKeepsTheDataKeysAndAnnotationsOfOtherWriters() {
        Kubeconfig old = issue(Duration.ofDays(20));
        store.create(ID, update(old, Optional.empty()));
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder(secret()).editMetadata()
                .addToAnnotations("backup.example.com/last", "2026-11-30").endMetadata()
                .addToData("notes", "b3RoZXIgd3JpdGVy").build()).update();
        StoredKubeconfig read = store.get(ID).orElseThrow();

        Kubeconfig fresh = issue(Duration.ofDays(1000));
        store.replace(read, update(fresh, Optional.of(old)));

        assertEquals(fresh.text(), store.get(ID).orElseThrow().kubeconfig());
        assertEquals("b3RoZXIgd3JpdGVy", secret().getData().get("notes"), "another writer's data key stays");
        assertEquals("2026-11-30", secret().getMetadata().getAnnotations().get("backup.example.com/last"));
        assertEquals(old.text(), store.get(ID).orElseThrow().previous().orElseThrow());
    }

    @Test
    void aKubeconfigChangedSinceItWasReadIsAConflict() {
        Kubeconfig old = issue(Duration.ofDays(20));
        store.create(ID, update(old, Optional.empty()));
        StoredKubeconfig read = store.get(ID).orElseThrow();
        Kubeconfig theirs = issue(Duration.ofDays(900));
        store.replace(store.get(ID).orElseThrow(), update(theirs, Optional.empty()));

        assertThrows(StoreConflictException.class, () -> store.replace(read, update(issue(Duration.ofDays(1000)),
                Optional.of(old))));
        assertEquals(theirs.text(), store.get(ID).orElseThrow().kubeconfig(), "the other writer's kubeconfig stays");
        assertTrue(store.get(ID).orElseThrow().previous().isEmpty());
    }

    @Test
    void aStaleResourceVersionIsRefusedByTheServer() {
        Kubeconfig old = issue(Duration.ofDays(20));
        store.create(ID, update(old, Optional.empty()));
        Secret stale = secret();
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder(secret()).editMetadata()
                .addToAnnotations("other", "writer").endMetadata().build()).update();

        var conflict = assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> client.secrets().inNamespace(NAMESPACE).resource(stale).update());
        assertEquals(409, conflict.getCode(), "what replace relies on: the stand-in checks resourceVersion");
    }
}
