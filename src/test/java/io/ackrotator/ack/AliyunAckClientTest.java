package io.ackrotator.ack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeAck.Fault;
import io.ackrotator.standin.FakeAck.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real client, the real SDK signing, against the ACK emulator. */
class AliyunAckClientTest {

    static final String CLUSTER = "c0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    static FakeAck ack;

    @BeforeAll
    static void startEmulator() {
        ack = FakeAck.start();
        ack.addCluster(CLUSTER, "prod-hangzhou");
    }

    @AfterAll
    static void stopEmulator() {
        ack.close();
    }

    @BeforeEach
    void reset() {
        ack.clearFaults();
        ack.clearCalls();
    }

    static AckSettings settings(int maxAttempts, Duration readTimeout) {
        return new AckSettings("cn-hangzhou", ack.endpoint(), false, Duration.ofSeconds(2), readTimeout, maxAttempts,
                Duration.ofMillis(10), Duration.ofMillis(50));
    }

    static AliyunAckClient client() {
        return client(new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()));
    }

    static AliyunAckClient client(AckCredentials credentials) {
        return new AliyunAckClient(settings(4, Duration.ofSeconds(5)), credentials, new RateLimiter(1000),
                new ObjectMapper());
    }

    @Test
    void longTermKubeconfigIsTheSameCertificateUntilTheRenewalWindow() {
        IssuedKubeconfig first = client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                Optional.empty());
        IssuedKubeconfig again = client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                Optional.empty());
        Kubeconfig parsed = Kubeconfig.parse(first.kubeconfig());

        assertEquals(parsed.identity().serial(), Kubeconfig.parse(again.kubeconfig()).identity().serial());
        assertEquals(first.expiration().orElseThrow(), parsed.notAfter());
        assertEquals(Duration.ofDays(3 * 365), Duration.between(parsed.identity().notBefore(), parsed.notAfter()));
        assertEquals(ack.defaultIdentity().uid(), parsed.identity().user());
        assertEquals("127.0.0.1", parsed.serverHost());
        assertEquals("false", ack.calls().get(0).query().get("PrivateIpAddress"));
        assertFalse(ack.calls().get(0).query().containsKey("TemporaryDurationMinutes"));

        ack.clock().advance(Duration.ofDays(3 * 365 - 179));
        Kubeconfig renewed = Kubeconfig.parse(client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                Optional.empty()).kubeconfig());
        assertNotEquals(parsed.identity().serial(), renewed.identity().serial());
        assertTrue(renewed.notAfter().isAfter(parsed.notAfter()));
    }

    @Test
    void temporaryKubeconfigForInternalAccess() {
        Instant now = ack.clock().instant();
        IssuedKubeconfig issued = client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.INTERNAL,
                Optional.of(Duration.ofMinutes(120)));
        Kubeconfig parsed = Kubeconfig.parse(issued.kubeconfig());

        assertEquals(now.plus(Duration.ofMinutes(120)), parsed.notAfter());
        assertEquals("localhost", parsed.serverHost());
        assertEquals("120", ack.calls().get(0).query().get("TemporaryDurationMinutes"));
        assertEquals("true", ack.calls().get(0).query().get("PrivateIpAddress"));
    }

    @Test
    void temporaryValidityOutsideAcksRangeIsAnInvalidRequest() {
        AckException e = assertThrows(AckException.class, () -> client().describeUserKubeconfig(ClusterId.of(CLUSTER),
                AckAccess.PUBLIC, Optional.of(Duration.ofMinutes(14))));
        assertEquals(AckException.Kind.INVALID_REQUEST, e.kind());
        assertEquals("ErrorInvalidParameter", e.code());
        assertEquals(1, ack.calls().size(), "an invalid request is not retried");
    }

    @Test
    void unknownClusterIsNotFound() {
        AckException e = assertThrows(AckException.class, () -> client().describeUserKubeconfig(
                ClusterId.of("cffffffffffffffffffffffffffffffff"), AckAccess.PUBLIC, Optional.empty()));
        assertEquals(AckException.Kind.NOT_FOUND, e.kind());
        assertEquals("ErrorClusterNotFound", e.code());
        assertTrue(e.requestId().isPresent());
        assertFalse(e.retryable());
        assertEquals(1, ack.calls().size());
    }

    @Test
    void ramDenialIsForbidden() {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, new Fault.Status(403, "StatusForbidden"), 1);
        AckException e = assertThrows(AckException.class, () -> client().describeUserKubeconfig(ClusterId.of(CLUSTER),
                AckAccess.PUBLIC, Optional.empty()));
        assertEquals(AckException.Kind.FORBIDDEN, e.kind());
        assertEquals(1, ack.calls().size());
    }

    @Test
    void throttlingIsRetriedWithBackoffUntilItPasses() {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, Fault.throttling(), 2);
        client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC, Optional.empty());
        assertEquals(3, ack.calls().size());
    }

    @Test
    void throttlingAnsweredWith429IsRecognisedByStatus() {
        assertEquals(AckException.Kind.THROTTLED, SdkTransport.classify(429, ""));
        assertEquals(AckException.Kind.THROTTLED, SdkTransport.classify(400, "Throttling"));
        assertEquals(AckException.Kind.THROTTLED, SdkTransport.classify(503, "Throttling.Api"));
    }

    @Test
    void retriesAreBounded() {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, Fault.throttling(), 100);
        AckException e = assertThrows(AckException.class, () -> client().describeUserKubeconfig(ClusterId.of(CLUSTER),
                AckAccess.PUBLIC, Optional.empty()));
        assertEquals(AckException.Kind.THROTTLED, e.kind());
        assertEquals(4, ack.calls().size());
    }

    @Test
    void serverErrorsOnReadsAreRetried() {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, Fault.serverError(), 1);
        client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC, Optional.empty());
        assertEquals(2, ack.calls().size());
    }

    @Test
    void timeoutsAreRetriedThenReportedAsTimeouts() {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, new Fault.Delay(Duration.ofMillis(800)), 100);
        AliyunAckClient impatient = new AliyunAckClient(settings(2, Duration.ofMillis(300)),
                new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()), new RateLimiter(100),
                new ObjectMapper());
        AckException e = assertThrows(AckException.class, () -> impatient.describeUserKubeconfig(ClusterId.of(CLUSTER),
                AckAccess.PUBLIC, Optional.empty()));
        assertEquals(AckException.Kind.TIMEOUT, e.kind());
        assertEquals(2, ack.calls().size());
    }

    @Test
    void aDroppedConnectionIsATransportError() {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, new Fault.Reset(), 100);
        AckException e = assertThrows(AckException.class, () -> client().describeUserKubeconfig(ClusterId.of(CLUSTER),
                AckAccess.PUBLIC, Optional.empty()));
        assertEquals(AckException.Kind.TRANSPORT, e.kind());
        assertEquals(4, ack.calls().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"config\": ", "<html>gateway</html>", "{\"expiration\":\"2030-01-01T00:00:00Z\"}", "[]"})
    void unreadableAnswersAreBadResponses(String body) {
        ack.failing(Operation.DESCRIBE_KUBECONFIG, new Fault.Malformed(body), 1);
        AckException e = assertThrows(AckException.class, () -> client().describeUserKubeconfig(ClusterId.of(CLUSTER),
                AckAccess.PUBLIC, Optional.empty()));
        assertEquals(AckException.Kind.BAD_RESPONSE, e.kind());
    }

    @Test
    void aWrongSecretIsRejectedByTheSignatureCheckAndNothingSecretIsEchoed() {
        String token = "CAIS-sts-token-" + "x".repeat(60);
        ack.addIdentity(new FakeAck.Identity("LTAI5tRoleKey", "the-right-secret", Optional.of(token), "300000001"));
        AckException e = assertThrows(AckException.class, () -> client(new AckCredentials("LTAI5tRoleKey",
                "a-wrong-secret", Optional.of(token))).describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                        Optional.empty()));

        assertEquals(AckException.Kind.AUTHENTICATION, e.kind());
        assertEquals("SignatureDoesNotMatch", e.code());
        assertTrue(ack.rejectedSignatures() > 0);
        assertFalse(e.getMessage().contains(token), "the gateway echoes the STS token; it must not reach us");
        assertFalse(e.getMessage().contains("a-wrong-secret"));
    }

    @Test
    void stsTokenIsSentAndChecked() {
        String token = "CAIS-sts-" + "t".repeat(80);
        ack.addIdentity(new FakeAck.Identity("LTAI5tStsKey", "sts-secret", Optional.of(token), "300000002"));
        IssuedKubeconfig issued = client(new AckCredentials("LTAI5tStsKey", "sts-secret", Optional.of(token)))
                .describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC, Optional.empty());

        assertEquals(Optional.of(token), ack.calls().get(0).securityToken());
        assertEquals("300000002", Kubeconfig.parse(issued.kubeconfig()).identity().user(),
                "the kubeconfig belongs to the calling identity");

        AckException missing = assertThrows(AckException.class, () -> client(new AckCredentials("LTAI5tStsKey",
                "sts-secret", Optional.empty())).describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                        Optional.empty()));
        assertEquals(AckException.Kind.AUTHENTICATION, missing.kind());
    }

    @Test
    void unknownAccessKeyIsAnAuthenticationError() {
        AckException e = assertThrows(AckException.class, () -> client(new AckCredentials("LTAI5tNobody", "s",
                Optional.empty())).listClusters(ClusterFilter.all()));
        assertEquals(AckException.Kind.AUTHENTICATION, e.kind());
        assertEquals("InvalidAccessKeyId.NotFound", e.code());
    }

    @Test
    void listsEveryPageOfClustersAndFilters() {
        try (FakeAck many = FakeAck.start()) {
            IntStream.range(0, 250).forEach(i -> many.addCluster(String.format("c%032x", i), "team-" + (i % 2 == 0
                    ? "a" : "b") + "-" + i));
            many.cluster(String.format("c%032x", 7)).withClusterType("ExternalKubernetes");
            AliyunAckClient paging = new AliyunAckClient(new AckSettings("cn-hangzhou", many.endpoint(), false,
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofMillis(10), Duration.ofMillis(20)),
                    new AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET, Optional.empty()),
                    new RateLimiter(1000), new ObjectMapper());

            List<AckCluster> all = paging.listClusters(ClusterFilter.all());
            assertEquals(250, all.size());
            assertEquals(250, all.stream().map(AckCluster::clusterId).distinct().count());
            assertEquals(3, many.calls(Operation.LIST_CLUSTERS).size());

            assertEquals(125, paging.listClusters(new ClusterFilter(Optional.of("team-a-"), Optional.empty())).size());
            List<AckCluster> external = paging.listClusters(new ClusterFilter(Optional.empty(),
                    Optional.of("ExternalKubernetes")));
            assertEquals(List.of(String.format("c%032x", 7)), external.stream().map(AckCluster::clusterId).toList());
            assertEquals("ExternalKubernetes", many.calls().get(many.calls().size() - 1).query().get("cluster_type"));
        }
    }

    @Test
    void revokeIsNotRetriedOnServerErrorsButIsOnThrottling() {
        ack.failing(Operation.REVOKE, Fault.serverError(), 1);
        AckException e = assertThrows(AckException.class, () -> client().revokeKubeconfig(ClusterId.of(CLUSTER)));
        assertEquals(AckException.Kind.SERVER, e.kind());
        assertEquals(1, ack.calls(Operation.REVOKE).size(), "a revoke that may have happened is not repeated");

        ack.clearCalls();
        ack.failing(Operation.REVOKE, Fault.throttling(), 1);
        client().revokeKubeconfig(ClusterId.of(CLUSTER));
        assertEquals(2, ack.calls(Operation.REVOKE).size());
    }

    @Test
    void revokeInvalidatesTheOldCertificateAndIssuesANewOne() {
        Kubeconfig before = Kubeconfig.parse(client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                Optional.empty()).kubeconfig());
        client().revokeKubeconfig(ClusterId.of(CLUSTER));
        Kubeconfig after = Kubeconfig.parse(client().describeUserKubeconfig(ClusterId.of(CLUSTER), AckAccess.PUBLIC,
                Optional.empty()).kubeconfig());

        assertNotEquals(before.identity().serial(), after.identity().serial());
        assertTrue(ack.cluster(CLUSTER).isRevoked(before.clientCertificate()));
        assertFalse(ack.cluster(CLUSTER).isRevoked(after.clientCertificate()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../c123456789", "c123/../../x", "c12345678%2F", "c1234567 8", "", "C0A1B2C3D4E5F6",
            "c12345678\u0430", "c12", "c1234567890abcdef.."})
    void badClusterIdsAreRefusedBeforeAnyRequest(String id) {
        long before = ack.requests();
        ClusterId.InvalidClusterIdException e = assertThrows(ClusterId.InvalidClusterIdException.class,
                () -> client().describeUserKubeconfig(ClusterId.of(id), AckAccess.PUBLIC, Optional.empty()));
        assertTrue(e.getMessage().startsWith("clusterId"), e.getMessage());
        assertEquals(before, ack.requests());
    }

    @Test
    void tenKilobyteClusterIdIsRefused() {
        assertThrows(ClusterId.InvalidClusterIdException.class, () -> ClusterId.of("c" + "a".repeat(10_240)));
    }

    @Test
    void kubeconfigStatesAreReadAcrossPagesAndAUsersPermissionsCleaned() {
        ack.addCluster("c5a7e500000000000000000000000000a", "states");
        for (int i = 0; i < 57; i++) {
            ack.cluster("c5a7e500000000000000000000000000a").seedLongTerm("20000000000000" + (1000 + i),
                    Duration.ofDays(100 + i), false);
        }
        ClusterId cluster = ClusterId.of("c5a7e500000000000000000000000000a");
        List<KubeconfigState> states = client().listKubeconfigStates(cluster);
        assertEquals(57, states.size());
        assertEquals(2, ack.calls(Operation.LIST_KUBECONFIG_STATES).size(), "pages of 50");
        assertEquals("50", ack.calls(Operation.LIST_KUBECONFIG_STATES).get(0).query().get("pageSize"));
        assertTrue(states.stream().allMatch(state -> state.certExpireTime().isPresent()
                && state.accountType().equals(Optional.of("RamRole")) && state.revokable().equals(Optional.of(true))));

        client().cleanUserPermissions(cluster, "200000000000001000", false);
        assertEquals("false", ack.calls(Operation.CLEAN_PERMISSIONS).get(0).query().get("Force"));
        assertEquals(56, client().listKubeconfigStates(cluster).size(), "its kubeconfig is gone");
    }
}
