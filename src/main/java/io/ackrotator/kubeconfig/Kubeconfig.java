package io.ackrotator.kubeconfig;

import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A parsed single-user kubeconfig as ACK issues it. {@link #text()} is the original document, the only form that is
 * stored or handed out; {@link #toString()} never shows it, the key or the certificates.
 */
public record Kubeconfig(String clusterName, URI server, List<X509Certificate> certificateAuthorities,
        X509Certificate clientCertificate, PrivateKey clientKey, boolean insecureSkipTlsVerify,
        CertificateIdentity identity, String text) {

    public Kubeconfig {
        certificateAuthorities = List.copyOf(certificateAuthorities);
    }

    public static Kubeconfig parse(String text) {
        return KubeconfigParser.parse(text);
    }

    /** The kubeconfig, or empty when {@code text} is not a usable one (use {@link #parse} to learn why). */
    public static Optional<Kubeconfig> tryParse(String text) {
        try {
            return Optional.of(KubeconfigParser.parse(text));
        } catch (KubeconfigException e) {
            return Optional.empty();
        }
    }

    public Instant notAfter() {
        return identity.notAfter();
    }

    public String serverHost() {
        return server.getHost();
    }

    @Override
    public String toString() {
        return "Kubeconfig[cluster=" + clusterName + ", server=" + server + ", subject=" + identity.subject()
                + ", serial=" + identity.serial() + ", notAfter=" + identity.notAfter()
                + (insecureSkipTlsVerify ? ", insecure-skip-tls-verify" : "") + "]";
    }
}
