package io.ackrotator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.ack.AckCredentials;
import io.ackrotator.ack.AckSettings;
import io.ackrotator.ack.AliyunAckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.RateLimiter;
import io.ackrotator.standin.FakeAck;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Clusters announced by an event are adopted within the same discovery filters as rotator.discover. */
class ManagedClustersTest {

    static RotationConfig filters(Optional<String> prefix, Optional<String> type) {
        return (RotationConfig) Proxy.newProxyInstance(ManagedClustersTest.class.getClassLoader(),
                new Class<?>[] {RotationConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "discoverNamePrefix" -> prefix;
                    case "discoverClusterType" -> type;
                    default -> throw new AssertionError("not needed: " + method.getName());
                });
    }

    @Test
    void theDiscoveryFiltersDecideWhichAnnouncedClustersAreAdopted() {
        try (FakeAck ack = FakeAck.start()) {
            ack.addCluster("c7e57000000000000000000000000000a", "prod-payments");
            ack.addCluster("c7e57000000000000000000000000000b", "sandbox-1");
            ack.addCluster("c7e57000000000000000000000000000c", "prod-idc").withClusterType("ExternalKubernetes");
            AliyunAckClient client = new AliyunAckClient(new AckSettings("cn-hangzhou", ack.endpoint(), false,
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofMillis(5), Duration.ofMillis(10)),
                    new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()),
                    new RateLimiter(100), new ObjectMapper());
            List<ClusterId> announced = List.of(ClusterId.of("c7e57000000000000000000000000000a"),
                    ClusterId.of("c7e57000000000000000000000000000b"),
                    ClusterId.of("c7e57000000000000000000000000000c"));

            List<String> warnings = new ArrayList<>();
            List<ClusterId> kept = ManagedClusters.adoptable(filters(Optional.of("prod-"),
                    Optional.of("ManagedKubernetes")), client, announced, warnings);

            assertEquals(List.of(announced.get(0)), kept);
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("cluster c7e57000000000000000000000000000b not adopted: ACK does "
                    + "not list it under the discovery filters (name prefix prod-, type ManagedKubernetes)"),
                    warnings.get(0));

            ack.clearCalls();
            assertEquals(announced, ManagedClusters.adoptable(filters(Optional.empty(), Optional.empty()), client,
                    announced, new ArrayList<>()), "no filter: every announced cluster");
            assertTrue(ack.calls().isEmpty(), "and no listing");
        }
    }
}
