package io.ackrotator.kubeconfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Who a client certificate says it is (CN = Kubernetes user, O = groups) and when it is valid. ACK's kubeconfig
 * belongs to the calling RAM identity, so {@code user} is that identity as the API server sees it.
 */
public record CertificateIdentity(String user, List<String> groups, String serial, Instant notBefore, Instant notAfter,
        String sha256Fingerprint) {

    public CertificateIdentity {
        groups = List.copyOf(groups);
    }

    public String subject() {
        return "CN=" + user + (groups.isEmpty() ? "" : ",O=" + String.join("+", groups));
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(notAfter);
    }

    public Duration remainingAt(Instant now) {
        return Duration.between(now, notAfter);
    }

    /** Same certificate, not just the same subject: ACK re-issues with the same subject and a new serial. */
    public boolean sameCertificateAs(CertificateIdentity other) {
        return serial.equals(other.serial) && sha256Fingerprint.equals(other.sha256Fingerprint);
    }
}
