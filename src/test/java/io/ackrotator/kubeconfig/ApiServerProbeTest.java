package io.ackrotator.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.Kubeconfigs;
import io.ackrotator.standin.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A fabric8 client built from an emulator kubeconfig, against the member's HTTPS API server. */
class ApiServerProbeTest {

    static final String CLUSTER = "c11112222333344445555666677778888";
    static FakeAck ack;
    static FakeAck.FakeCluster cluster;
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));

    @BeforeAll
    static void start() {
        ack = FakeAck.start();
        cluster = ack.addCluster(CLUSTER, "member");
    }

    @AfterAll
    static void stop() {
        ack.close();
    }

    @AfterEach
    void restore() {
        cluster.member().serveWrongCertificate(false);
    }

    Kubeconfig kubeconfig(Duration remaining) {
        return Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), remaining, false));
    }

    @Test
    void listsNamespacesAndReadsTheKubeSystemUid() {
        ApiServerIdentity identity = probe.probe(kubeconfig(Duration.ofDays(300)));

        assertEquals(cluster.member().kubeSystemUid(), identity.kubeSystemUid());
        assertTrue(identity.namespaces().containsAll(List.of("default", "kube-system")));
    }

    @Test
    void internalAddressWorksToo() {
        Kubeconfig internal = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(300), true));
        assertEquals("localhost", internal.serverHost());
        assertEquals(cluster.member().kubeSystemUid(), probe.probe(internal).kubeSystemUid());
    }

    @Test
    void aChangedApiServerAddressIsReportedAsACertificateMismatch() {
        cluster.member().serveWrongCertificate(true);
        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(kubeconfig(Duration.ofDays(300))));

        assertEquals(ApiServerException.Kind.TLS_NAME_MISMATCH, e.kind());
        assertEquals("API server certificate is not valid for 127.0.0.1: the API server address changed; "
                + "re-issue the kubeconfig for the new address", e.getMessage());
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() {
        Instant now = Instant.now();
        TestPki.Issued otherCa = TestPki.certificateAuthority("intruder", now.minusSeconds(60), now.plusSeconds(86400));
        TestPki.Issued forged = TestPki.clientCertificate(otherCa, ack.defaultIdentity().uid(), List.of("system:users"),
                now.minusSeconds(60), now.plusSeconds(86400));
        Kubeconfig kubeconfig = Kubeconfig.parse(Kubeconfigs.render("kubernetes", cluster.member().publicUrl(),
                cluster.ca().certificate(), forged, "intruder"));

        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(kubeconfig));
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, e.kind());
    }

    @Test
    void aServerNotSignedByTheKubeconfigsCaIsNotTrusted() {
        Instant now = Instant.now();
        TestPki.Issued otherCa = TestPki.certificateAuthority("elsewhere", now.minusSeconds(60), now.plusSeconds(86400));
        Kubeconfig good = kubeconfig(Duration.ofDays(300));
        String text = good.text().replaceFirst("certificate-authority-data: .*",
                "certificate-authority-data: " + TestPki.base64(TestPki.pem(otherCa.certificate())));

        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(Kubeconfig.parse(text)));
        assertEquals(ApiServerException.Kind.TLS_UNTRUSTED, e.kind());
    }

    @Test
    void anExpiredCertificateIsRefused() {
        ApiServerException e = assertThrows(ApiServerException.class,
                () -> probe.probe(kubeconfig(Duration.ofDays(-1))));
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, e.kind());
    }

    @Test
    void aRevokedCertificateIsRefused() {
        Kubeconfig kubeconfig = kubeconfig(Duration.ofDays(300));
        probe.probe(kubeconfig);
        revoke();
        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(kubeconfig));
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, e.kind());
    }

    private void revoke() {
        new io.ackrotator.ack.AliyunAckClient(new io.ackrotator.ack.AckSettings("cn-hangzhou", ack.endpoint(), false,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 1, Duration.ofMillis(10), Duration.ofMillis(10)),
                new io.ackrotator.ack.AckCredentials(FakeAck.DEFAULT_AK, FakeAck.DEFAULT_SECRET,
                        java.util.Optional.empty()), new io.ackrotator.ack.RateLimiter(100),
                new com.fasterxml.jackson.databind.ObjectMapper())
                .revokeKubeconfig(io.ackrotator.ack.ClusterId.of(CLUSTER));
    }

    @Test
    void anIdentityWithoutRbacIsForbidden() {
        Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm("no-rbac-user", Duration.ofDays(300), false));
        cluster.member().forbid("no-rbac-user");
        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(kubeconfig));
        assertEquals(ApiServerException.Kind.FORBIDDEN, e.kind());
    }

    @Test
    void insecureSkipTlsVerifyIsRefusedUnlessAllowed() {
        Kubeconfig good = kubeconfig(Duration.ofDays(300));
        Kubeconfig insecure = Kubeconfig.parse(good.text().replace("  name: kubernetes\ncontexts",
                "    insecure-skip-tls-verify: true\n  name: kubernetes\ncontexts"));
        assertTrue(insecure.insecureSkipTlsVerify());

        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(insecure));
        assertEquals(ApiServerException.Kind.INSECURE_REFUSED, e.kind());

        cluster.member().serveWrongCertificate(true);
        try {
            assertEquals(ApiServerException.Kind.TLS_NAME_MISMATCH, assertThrows(ApiServerException.class,
                    () -> probe.probe(good)).kind(), "a verified kubeconfig fails closed on a wrong certificate");
            assertEquals(cluster.member().kubeSystemUid(), probe.probe(insecure, true).kubeSystemUid(),
                    "allowed explicitly, the insecure kubeconfig skips verification as it says");
        } finally {
            cluster.member().serveWrongCertificate(false);
        }
    }

    @Test
    void aKubeconfigWithAnotherCaFailsClosed() {
        Kubeconfig good = kubeconfig(Duration.ofDays(300));
        java.time.Instant now = ack.clock().instant();
        String foreignCa = TestPki.base64(TestPki.pem(TestPki.certificateAuthority("foreign-ca", now.minusSeconds(60),
                now.plus(Duration.ofDays(365))).certificate()));
        Kubeconfig foreign = Kubeconfig.parse(good.text().replaceFirst("certificate-authority-data: \\S+",
                "certificate-authority-data: " + foreignCa));

        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(foreign));

        assertEquals(ApiServerException.Kind.TLS_UNTRUSTED, e.kind());
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() {
        Kubeconfig good = kubeconfig(Duration.ofDays(300));
        Kubeconfig nowhere = Kubeconfig.parse(good.text().replaceFirst("server: https://127.0.0.1:\\d+",
                "server: https://127.0.0.1:1"));
        ApiServerException e = assertThrows(ApiServerException.class, () -> probe.probe(nowhere));
        assertEquals(ApiServerException.Kind.UNREACHABLE, e.kind());
    }
}
