package io.ackrotator.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.Kubeconfigs;
import io.ackrotator.standin.TestPki;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubeconfigParserTest {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final TestPki.Issued CA = TestPki.certificateAuthority("kubernetes", NOW.minus(Duration.ofDays(10)),
            NOW.plus(Duration.ofDays(3650)));
    static final TestPki.Issued CLIENT = TestPki.clientCertificate(CA, "27490000000001", List.of("system:users"),
            NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    static final TestPki.Issued OTHER_CLIENT = TestPki.clientCertificate(CA, "someone-else", List.of(),
            NOW, NOW.plus(Duration.ofDays(30)));
    static final URI SERVER = URI.create("https://47.96.1.2:6443");

    static String valid() {
        return Kubeconfigs.render("kubernetes", SERVER, CA.certificate(), CLIENT, "27490000000001");
    }

    static String with(String caData, String certData, String keyData) {
        return Kubeconfigs.render("kubernetes", SERVER, caData, certData, keyData, "u", false);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes());
    }

    @Test
    void readsIdentityExpiryAndServerOfARealCertificate() {
        Kubeconfig kubeconfig = Kubeconfig.parse(valid());

        assertEquals("27490000000001", kubeconfig.identity().user());
        assertEquals(List.of("system:users"), kubeconfig.identity().groups());
        assertEquals("CN=27490000000001,O=system:users", kubeconfig.identity().subject());
        assertEquals(CLIENT.certificate().getSerialNumber().toString(16), kubeconfig.identity().serial());
        assertEquals(NOW.plus(Duration.ofDays(30)), kubeconfig.notAfter());
        assertEquals(NOW.minus(Duration.ofDays(1)), kubeconfig.identity().notBefore());
        assertEquals(SERVER, kubeconfig.server());
        assertEquals(1, kubeconfig.certificateAuthorities().size());
        assertFalse(kubeconfig.insecureSkipTlsVerify());
        assertEquals(64, kubeconfig.identity().sha256Fingerprint().length());
    }

    @Test
    void toStringShowsNoKeyOrCertificateMaterial() {
        String text = Kubeconfig.parse(valid()).toString();
        assertTrue(text.contains("CN=27490000000001"));
        assertFalse(text.contains(b64(CLIENT.keyPem()).substring(0, 40)));
        assertFalse(text.contains("PRIVATE"));
        assertFalse(text.contains(b64(CLIENT.certificatePem()).substring(0, 40)));
    }

    @Test
    void insecureSkipTlsVerifyIsFlagged() {
        String text = Kubeconfigs.render("kubernetes", SERVER, TestPki.base64(TestPki.pem(CA.certificate())),
                TestPki.base64(CLIENT.certificatePem()), TestPki.base64(CLIENT.keyPem()), "u", true);
        assertTrue(Kubeconfig.parse(text).insecureSkipTlsVerify());
    }

    @Test
    void acceptsPkcs8AndEcKeys() throws Exception {
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(CLIENT.key().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertEquals("27490000000001", Kubeconfig.parse(with(TestPki.base64(TestPki.pem(CA.certificate())),
                TestPki.base64(CLIENT.certificatePem()), b64(pkcs8))).identity().user());

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = generator.generateKeyPair();
        TestPki.Issued ecClient = TestPki.clientCertificate(CA, "ec-user", List.of("g"), NOW, NOW.plusSeconds(60),
                ec.getPublic(), ec.getPrivate());
        String sec1 = ecClient.keyPem();
        assertTrue(sec1.contains("BEGIN EC PRIVATE KEY"), "BouncyCastle writes SEC1 for EC keys");
        assertEquals("ec-user", Kubeconfig.parse(with(TestPki.base64(TestPki.pem(CA.certificate())),
                TestPki.base64(ecClient.certificatePem()), b64(sec1))).identity().user());
    }

    static Stream<Arguments> malformed() {
        String ca = TestPki.base64(TestPki.pem(CA.certificate()));
        String cert = TestPki.base64(CLIENT.certificatePem());
        String key = TestPki.base64(CLIENT.keyPem());
        String two = valid().replace("users:\n", "users:\n- name: second\n  user:\n    client-certificate-data: "
                + cert + "\n    client-key-data: " + key + "\n");
        String bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
                + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
        return Stream.of(
                Arguments.of(Named.of("empty document", ""), "kubeconfig"),
                Arguments.of(Named.of("not YAML", "{{{: : ["), "kubeconfig"),
                Arguments.of(Named.of("a YAML list, not a mapping", "- a\n- b\n"), "kubeconfig"),
                // Aliases are never expanded into a tree here: the bomb is just a document without clusters.
                Arguments.of(Named.of("YAML alias bomb", bomb), "clusters"),
                Arguments.of(Named.of("no clusters", valid().replaceAll("(?s)clusters:.*?contexts:", "contexts:")),
                        "clusters"),
                Arguments.of(Named.of("two users", two), "users"),
                Arguments.of(Named.of("missing client key", valid().replaceAll("    client-key-data: .*\n", "")),
                        "users[0].user.client-key-data"),
                Arguments.of(Named.of("certificate data not base64", with(ca, "not$base64", key)),
                        "users[0].user.client-certificate-data"),
                Arguments.of(Named.of("PEM garbage as certificate", with(ca, b64("-----BEGIN CERTIFICATE-----\n"
                        + "aGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n"), key)),
                        "users[0].user.client-certificate-data"),
                Arguments.of(Named.of("key where the certificate belongs", with(ca, key, key)),
                        "users[0].user.client-certificate-data"),
                Arguments.of(Named.of("no PEM block in CA data", with(b64("just text"), cert, key)),
                        "clusters[0].cluster.certificate-authority-data"),
                Arguments.of(Named.of("key of another certificate",
                        with(ca, cert, TestPki.base64(TestPki.pem(TestPki.rsaKeyPair().getPrivate())))),
                        "users[0].user.client-key-data"),
                Arguments.of(Named.of("plain http server", valid().replace("https://47.96.1.2", "http://47.96.1.2")),
                        "clusters[0].cluster.server"),
                Arguments.of(Named.of("missing server", valid().replaceAll("    server: .*\n", "")),
                        "clusters[0].cluster.server"),
                Arguments.of(Named.of("unsupported key type", with(ca, cert,
                        b64("-----BEGIN DSA PRIVATE KEY-----\naGVsbG8=\n-----END DSA PRIVATE KEY-----\n"))),
                        "users[0].user.client-key-data"),
                Arguments.of(Named.of("truncated RSA key", with(ca, cert,
                        b64("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK==\n-----END RSA PRIVATE KEY-----\n"))),
                        "users[0].user.client-key-data"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedInputNamesTheField(String text, String field) {
        KubeconfigException e = assertThrows(KubeconfigException.class, () -> Kubeconfig.parse(text));
        assertEquals(field, e.field(), e.getMessage());
        assertFalse(e.getMessage().contains("PRIVATE KEY"));
    }

    @Test
    void keyOfOtherClientIsAMismatch() {
        String text = with(TestPki.base64(TestPki.pem(CA.certificate())), TestPki.base64(CLIENT.certificatePem()),
                TestPki.base64(OTHER_CLIENT.keyPem()));
        // The leaf key pool may hand both clients one key; only a distinct key is a mismatch.
        if (!OTHER_CLIENT.key().equals(CLIENT.key())) {
            assertThrows(KubeconfigException.class, () -> Kubeconfig.parse(text));
        }
    }
}
