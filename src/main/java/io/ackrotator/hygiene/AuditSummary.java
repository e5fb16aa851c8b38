package io.ackrotator.hygiene;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Counts of what the audit flagged, for one cluster or the whole fleet. */
@RegisterForReflection
public record AuditSummary(int identities, int orphaned, int rootAccount, int expiring, int expired, int incomplete,
        int orphanedBindings) {

    static AuditSummary of(List<IdentityFinding> identities, List<BindingFinding> bindings) {
        return new AuditSummary(identities.size(), count(identities, CredentialFlag.ORPHANED),
                count(identities, CredentialFlag.ROOT_ACCOUNT), count(identities, CredentialFlag.EXPIRING),
                count(identities, CredentialFlag.EXPIRED), count(identities, CredentialFlag.INCOMPLETE),
                bindings == null ? 0 : bindings.size());
    }

    static AuditSummary total(List<ClusterAudit> clusters) {
        AuditSummary sum = new AuditSummary(0, 0, 0, 0, 0, 0, 0);
        for (ClusterAudit cluster : clusters) {
            AuditSummary s = cluster.summary();
            if (s != null) {
                sum = new AuditSummary(sum.identities + s.identities, sum.orphaned + s.orphaned,
                        sum.rootAccount + s.rootAccount, sum.expiring + s.expiring, sum.expired + s.expired,
                        sum.incomplete + s.incomplete, sum.orphanedBindings + s.orphanedBindings);
            }
        }
        return sum;
    }

    private static int count(List<IdentityFinding> identities, CredentialFlag flag) {
        return (int) identities.stream().filter(finding -> finding.has(flag)).count();
    }
}
