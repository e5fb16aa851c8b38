package io.ackrotator.hygiene;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One cluster's audit: every identity's kubeconfig, or why it could not be listed. {@code bindings} only with
 * {@code "rbac": true}; {@code rbacError} when the member's bindings could not be read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ClusterAudit(String clusterId, String outcome, String error, AuditSummary summary,
        List<IdentityFinding> identities, List<BindingFinding> bindings, String rbacError) {

    public static final String AUDITED = "audited";
    public static final String FAILED = "failed";

    static ClusterAudit failed(String clusterId, String error) {
        return new ClusterAudit(clusterId, FAILED, error, null, null, null, null);
    }
}
