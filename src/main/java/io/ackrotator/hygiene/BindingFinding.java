package io.ackrotator.hygiene;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A RoleBinding or ClusterRoleBinding on a member granting an orphaned Alibaba Cloud identity (read-only finding). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record BindingFinding(String kind, String namespace, String name, String subject, String accountId,
        String accountState, String role) {
}
