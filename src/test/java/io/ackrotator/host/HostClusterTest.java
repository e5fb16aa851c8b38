package io.ackrotator.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.ack.AckCredentials;
import io.ackrotator.ack.AckSettings;
import io.ackrotator.ack.AliyunAckClient;
import io.ackrotator.ack.RateLimiter;
import io.ackrotator.standin.FakeAck;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** rotator.host.ack-cluster-id: the host is reached with a temporary ACK kubeconfig, renewed before it expires. */
class HostClusterTest {

    static final String HOST = "c0057000000000000000000000000000a";

    record Config(Optional<String> ackClusterId, Duration temporaryValidity, String access) implements HostConfig {
    }

    @Test
    void theHostIsReachedThroughATemporaryKubeconfigWithNoLongLivedCredential() {
        try (FakeAck ack = FakeAck.start()) {
            FakeAck.FakeCluster host = ack.addCluster(HOST, "host");
            AliyunAckClient client = new AliyunAckClient(new AckSettings("cn-hangzhou", ack.endpoint(), false,
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofMillis(5), Duration.ofMillis(10)),
                    new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()),
                    new RateLimiter(100), new ObjectMapper());
            @SuppressWarnings("unchecked")
            Instance<KubernetesClient> noDefault = (Instance<KubernetesClient>) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Instance.class}, (proxy, method, args) -> {
                        throw new AssertionError("the default client must not be used");
                    });
            HostCluster hostCluster = new HostCluster(noDefault, new Config(Optional.of(HOST),
                    Duration.ofMinutes(60), "public"), ack.clock());

            KubernetesClient kubernetes = hostCluster.client(client);
            assertTrue(kubernetes.namespaces().list().getItems().stream().map(Namespace::getMetadata)
                    .anyMatch(m -> m.getUid().equals(host.member().kubeSystemUid())));
            assertEquals("60", ack.calls().get(0).query().get("TemporaryDurationMinutes"));
            assertSame(kubernetes, hostCluster.client(client), "reused while valid");
            assertEquals(1, ack.calls().size());

            ack.clock().advance(Duration.ofMinutes(56));
            KubernetesClient renewed = hostCluster.client(client);
            assertEquals(2, ack.calls().size(), "renewed five minutes before it expires");
            assertTrue(renewed.namespaces().list().getItems().size() > 0);
            assertTrue(kubernetes.namespaces().list().getItems().size() > 0,
                    "work that started with the old client finishes with it: it is not closed under it");

            ack.clock().advance(Duration.ofMinutes(56));
            hostCluster.client(client);
            assertThrows(RuntimeException.class, () -> kubernetes.namespaces().list(),
                    "closed one renewal later");
            hostCluster.close();
        }
    }
}
