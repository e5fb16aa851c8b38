package io.ackrotator.rotation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One managed cluster in the read-only inventory; {@code identity} is the certificate's CN (whose kubeconfig it is),
 * {@code name} the cluster's name in ACK (null when ACK's listing was not available), {@code cluster} where it lives
 * ({@code account/region/clusterId}). No kubeconfig content, ever.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ClusterStatus(String clusterId, CertificateState state, String subject, String serial,
        Instant notAfter, Long daysLeft, Instant renewsFrom, String access, Instant lastRotation, String lastError,
        String message, Object kubesphere, String identity, Instant notBefore, String name, String cluster) {

    public ClusterStatus(String clusterId, CertificateState state, String subject, String serial, Instant notAfter,
            Long daysLeft, Instant renewsFrom, String access, Instant lastRotation, String lastError, String message,
            Object kubesphere, String identity, Instant notBefore, String name) {
        this(clusterId, state, subject, serial, notAfter, daysLeft, renewsFrom, access, lastRotation, lastError,
                message, kubesphere, identity, notBefore, name, null);
    }

    public ClusterStatus withKubesphere(Object sync) {
        return new ClusterStatus(clusterId, state, subject, serial, notAfter, daysLeft, renewsFrom, access,
                lastRotation, lastError, message, sync, identity, notBefore, name, cluster);
    }

    /** The same, named {@code account/region/clusterId}. */
    public ClusterStatus named(String where) {
        return new ClusterStatus(clusterId, state, subject, serial, notAfter, daysLeft, renewsFrom, access,
                lastRotation, lastError, message, kubesphere, identity, notBefore, name, where);
    }
}
