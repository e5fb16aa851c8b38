package io.ackrotator.rotation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ackrotator.kubeconfig.Kubeconfig;
import java.time.Instant;
import java.util.Optional;

/**
 * One cluster's line in a sweep report; {@code cluster} names it as {@code account/region/clusterId}. {@code fresh}
 * carries the newly stored kubeconfig to the KubeSphere re-sync; it is never serialised.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record RotationResult(String clusterId, RotationAction action, CertificateState state, Instant oldNotAfter,
        Instant newNotAfter, String subject, String message, Boolean retryable, @JsonIgnore Optional<Kubeconfig> fresh,
        Object kubesphere, String cluster) {

    public RotationResult(String clusterId, RotationAction action, CertificateState state, Instant oldNotAfter,
            Instant newNotAfter, String subject, String message, Boolean retryable, Optional<Kubeconfig> fresh,
            Object kubesphere) {
        this(clusterId, action, state, oldNotAfter, newNotAfter, subject, message, retryable, fresh, kubesphere, null);
    }

    public RotationResult withKubesphere(Object sync) {
        return new RotationResult(clusterId, action, state, oldNotAfter, newNotAfter, subject, message, retryable,
                fresh, sync, cluster);
    }

    /** The same result named {@code account/region/clusterId}. */
    public RotationResult named(String name) {
        return new RotationResult(clusterId, action, state, oldNotAfter, newNotAfter, subject, message, retryable,
                fresh, kubesphere, name);
    }

    /** The same result without the kubeconfig: a sweep over thousands of clusters keeps only what it reports. */
    public RotationResult withoutKubeconfig() {
        return new RotationResult(clusterId, action, state, oldNotAfter, newNotAfter, subject, message, retryable,
                Optional.empty(), kubesphere, cluster);
    }

    /** The same result with a remark appended to its message. */
    public RotationResult withNote(String note) {
        return new RotationResult(clusterId, action, state, oldNotAfter, newNotAfter, subject, message + "; " + note,
                retryable, fresh, kubesphere, cluster);
    }

    @Override
    public String toString() {
        return "RotationResult[" + clusterId + " " + action.wireName() + ": " + message + "]";
    }
}
