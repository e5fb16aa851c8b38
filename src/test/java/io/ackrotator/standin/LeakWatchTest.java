package io.ackrotator.standin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The suite-wide secret check checks itself: a deliberate leak of each kind, logged the way application code logs,
 * must fail it; ordinary lines that merely name a field must not.
 */
class LeakWatchTest {

    static final Logger LOG = Logger.getLogger("io.ackrotator.selftest");
    static final TestPki.Issued CA = TestPki.certificateAuthority("leak-ca", Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(1)));
    static final TestPki.Issued CLIENT = TestPki.clientCertificate(CA, "leaky", List.of("system:users"),
            Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));

    @org.junit.jupiter.api.Test
    void leakWatchIsActiveForThisVeryTest(org.junit.jupiter.api.TestInfo test) {
        String running = LeakWatch.watching();
        org.junit.jupiter.api.Assertions.assertNotNull(running, "LeakWatch never ran: extension autodetection is off");
        org.junit.jupiter.api.Assertions.assertTrue(running.contains("leakWatchIsActiveForThisVeryTest"), running);
    }

    @org.junit.jupiter.api.Test
    void noTwoCertificatesOfOneCaShareAKey() {
        TestPki.Issued ca = TestPki.certificateAuthority("keys-ca", Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)));
        java.util.Set<java.security.PublicKey> keys = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            keys.add(TestPki.clientCertificate(ca, "u" + i, List.of(), Instant.now().minusSeconds(60),
                    Instant.now().plus(Duration.ofDays(1))).certificate().getPublicKey());
        }
        org.junit.jupiter.api.Assertions.assertEquals(20, keys.size(),
                "a certificate paired with a sibling's key must never verify by chance");
    }

    static Stream<Arguments> leaks() {
        String keyPem = CLIENT.keyPem();
        String derBase64 = Base64.getEncoder().encodeToString(CLIENT.key().getEncoded());
        String kubeconfig = Kubeconfigs.render("leak", java.net.URI.create("https://127.0.0.1:6443"),
                CA.certificate(), CLIENT, "leaky");
        return Stream.of(
                Arguments.of("a PEM private key", "could not use key " + keyPem),
                Arguments.of("base64 DER (a key or certificate)", "key bytes: " + derBase64),
                Arguments.of("base64 of a PEM document (kubeconfig data)", "data="
                        + TestPki.base64(CLIENT.certificatePem())),
                Arguments.of("a kubeconfig credential value", "bad field client-key-data: "
                        + TestPki.base64(keyPem).substring(40, 80)),
                Arguments.of("a kubeconfig body", "stored: " + kubeconfig.replace('\n', ' ')),
                Arguments.of("a PEM certificate body", "cert " + CLIENT.certificatePem()),
                Arguments.of("the AccessKey secret", "signing with " + FakeAck.DEFAULT_SECRET),
                Arguments.of("the admin token", "Authorization: Bearer " + StandIns.ADMIN_TOKEN),
                Arguments.of("an STS token", "x-acs-security-token=CAIS-role-token-0123"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaks")
    void aDeliberateLeakFailsTheCheckWithoutRepeatingTheSecret(String kind, String line) {
        LeakWatch.check();
        LOG.errorf(new IllegalStateException(line), "failure while rotating");

        AssertionError failure = assertThrows(AssertionError.class, LeakWatch::check);

        assertTrue(failure.getMessage().contains(kind), failure.getMessage());
        assertFalse(failure.getMessage().contains(line), "the report names the kind, not the secret");
    }

    @Test
    void aLeakInAnHttpErrorAnswerIsCaughtToo() {
        LeakWatch.check();
        java.util.logging.Logger.getLogger("leakwatch.http").info("HTTP 400 answer to POST /issue: {\"error\":\""
                + StandIns.CI_TOKEN + "\"}");
        assertThrows(AssertionError.class, LeakWatch::check);
    }

    @Test
    void linesThatOnlyNameAFieldPass() {
        LeakWatch.check();
        LOG.info("users[0].user.client-key-data: not valid base64 (stored entry left as it was)");
        LOG.info("rotation clusterId=c0123456789abcdef action=rotated oldSerial=51ef24891daf9340 newSerial=769c1e");
        LOG.info("token sha256 " + StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
        assertDoesNotThrow(LeakWatch::check);
    }
}
