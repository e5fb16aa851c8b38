package io.ackrotator.issuance;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ackrotator.auth.Authentication;
import java.time.Instant;

/**
 * One issuance decision. Names the caller and how it authenticated, never its token; names the certificate, never
 * the kubeconfig.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record AuditRecord(Instant time, String outcome, int status, String caller, String sourceIp,
        String clusterId, Long requestedMinutes, Long grantedMinutes, String access, String serial, String subject,
        Instant expiresAt, String reason, String endpoint, String roleArn, String assumedRoleId, Authentication authentication) {

    public static final String ISSUED = "issued";
    public static final String REFUSED = "refused";
    public static final String REVOKED = "revoked";

    /** A request refused before any function ran (no or unknown token, wrong role). */
    public static AuditRecord refusedAccess(Instant time, int status, String principal, String sourceIp,
            String endpoint, String reason, Authentication authentication) {
        return new AuditRecord(time, REFUSED, status, principal, sourceIp, null, null, null, null, null, null, null,
                reason, endpoint, null, null, authentication);
    }
}
