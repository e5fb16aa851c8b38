package io.ackrotator.kubeconfig;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * fabric8 clients that use exactly one kubeconfig's credentials, with TLS verified against its CA. Nothing is read
 * from the environment ({@link Config#empty()}): a stray KUBECONFIG can't change which cluster we talk to.
 */
public final class KubeconfigClients {

    private KubeconfigClients() {
    }

    public static KubernetesClient open(Kubeconfig kubeconfig, Duration timeout) {
        return open(kubeconfig, timeout, 0);
    }

    /** The same, retrying 429, 5xx and I/O errors {@code retries} times (0.2, 0.4, 0.8 s ...) like the host client. */
    public static KubernetesClient open(Kubeconfig kubeconfig, Duration timeout, int retries) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config(kubeconfig, timeout))
                .withRequestRetryBackoffLimit(retries)
                .withRequestRetryBackoffInterval(200)
                .build()).build();
    }

    public static Config config(Kubeconfig kubeconfig, Duration timeout) {
        int millis = (int) timeout.toMillis();
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(kubeconfig.server().toString())
                .withCaCertData(pemBase64(kubeconfig.certificateAuthorities()))
                .withClientCertData(pemBase64(List.of(kubeconfig.clientCertificate())))
                .withClientKeyData(Base64.getEncoder().encodeToString(keyPem(kubeconfig)))
                .withClientKeyAlgo(kubeconfig.clientKey().getAlgorithm())
                // Reached with insecure-skip-tls-verify only when the caller allowed it for this cluster.
                .withTrustCerts(kubeconfig.insecureSkipTlsVerify())
                .withDisableHostnameVerification(kubeconfig.insecureSkipTlsVerify())
                .withConnectionTimeout(millis)
                .withRequestTimeout(millis)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    private static byte[] keyPem(Kubeconfig kubeconfig) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(kubeconfig.clientKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    private static String pemBase64(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new KubeconfigException("certificate", "can't be encoded");
            }
        }
        return Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
