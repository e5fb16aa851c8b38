package io.ackrotator.issuance;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One issuance decision. Names the caller, never its token; names the certificate, never the kubeconfig.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record AuditRecord(Instant time, String outcome, int status, String caller, String sourceIp,
        String clusterId, Long requestedMinutes, Long grantedMinutes, String access, String serial, String subject,
        Instant expiresAt, String reason) {

    public static final String ISSUED = "issued";
    public static final String REFUSED = "refused";
}
