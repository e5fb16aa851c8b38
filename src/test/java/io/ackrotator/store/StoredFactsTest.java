package io.ackrotator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listing's facts are trusted only while they describe the stored data, and only for entries with no marks. */
@EnableKubernetesMockClient(crud = true)
class StoredFactsTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final ClusterId ID = ClusterId.of("c5ec2e7000000000000000000000000fa");
    KubernetesClient client;
    FakeAck ack;
    FakeAck.FakeCluster cluster;
    SecretKubeconfigStore store;

    @BeforeEach
    void setUp() {
        ack = FakeAck.start();
        cluster = ack.addCluster(ID.value(), "facts");
        store = new SecretKubeconfigStore(client, NAMESPACE);
    }

    @AfterEach
    void tearDown() {
        ack.close();
    }

    StoredKubeconfig stored(Duration left) {
        Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), left, false));
        return store.create(ID, new StoreUpdate(kubeconfig, Optional.empty(), AckAccess.PUBLIC, Optional.of("uid"),
                ack.clock().instant()));
    }

    @Test
    void aFreshEntrysFactsAreItsCertificates() {
        StoredKubeconfig entry = stored(Duration.ofDays(700));
        Kubeconfig kubeconfig = Kubeconfig.parse(entry.kubeconfig());

        StoredFacts facts = store.listFacts().get(ID).orElseThrow();

        assertEquals(kubeconfig.notAfter(), facts.notAfter());
        assertEquals(kubeconfig.identity().subject(), facts.subject());
        assertEquals(kubeconfig.certificateAuthorities().get(0).getNotAfter().toInstant(), facts.authoritiesNotAfter());
        assertEquals(entry.probedAt(), facts.probedAt());
    }

    @Test
    void dataEditedByHandIsNotTrusted() {
        stored(Duration.ofDays(700));
        Kubeconfig other = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(10),
                false));
        client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ID)).edit(secret ->
                new SecretBuilder(secret).addToData(SecretKubeconfigStore.DATA_KEY, Base64.getEncoder()
                        .encodeToString(other.text().getBytes(java.nio.charset.StandardCharsets.UTF_8))).build());

        assertEquals(Optional.empty(), store.listFacts().get(ID), "the annotations describe the old data");
    }

    @Test
    void aRejectedOrRevokingEntryHasNoFacts() {
        StoredKubeconfig entry = stored(Duration.ofDays(700));
        store.recordRejection(entry, new Rejection(Kubeconfig.parse(entry.kubeconfig()).identity().serial(),
                ack.clock().instant(), "401"));
        assertEquals(Optional.empty(), store.listFacts().get(ID));
        assertTrue(store.listIds().contains(ID), "still listed");
    }
}
