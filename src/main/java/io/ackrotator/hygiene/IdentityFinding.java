package io.ackrotator.hygiene;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** One identity's kubeconfig on one cluster and what the audit flags about it; {@code function}: the function's own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record IdentityFinding(String accountId, String accountName, String accountType, String accountState,
        Instant certExpireTime, String certState, Boolean revokable, boolean function, List<CredentialFlag> flags,
        List<String> unknown) {

    public boolean has(CredentialFlag flag) {
        return flags.contains(flag);
    }
}
