package io.ackrotator.fc;

import static org.awaitility.Awaitility.await;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In the service profile the in-process scheduler runs the same sweep a timer trigger does. */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
@TestProfile(ScheduledSweepTest.ServiceProfile.class)
class ScheduledSweepTest {

    static final String CLUSTER = "c5c4ed000000000000000000000000001";

    public static class ServiceProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,service";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            StandIns.ack().addCluster(CLUSTER, "scheduled");
            return Map.of("rotator.schedule.cron", "*/2 * * * * ?", "rotator.clusters", CLUSTER);
        }
    }

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();

    @Test
    void theScheduledSweepAdoptsAConfiguredCluster() {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace("kubeconfig-rotator")
                .withName(SecretKubeconfigStore.secretName(ClusterId.of(CLUSTER))).get() != null);
    }
}
