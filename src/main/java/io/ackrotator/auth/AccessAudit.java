package io.ackrotator.auth;

import io.ackrotator.issuance.AuditLog;
import io.ackrotator.issuance.AuditRecord;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * A refused request to a protected endpoint leaves one JSON audit line (who, from where, what, why) and nothing
 * else: no host write, so a flood of unauthenticated calls costs the host cluster nothing.
 */
@ApplicationScoped
public class AccessAudit {

    private final Clock clock;

    public AccessAudit(Clock clock) {
        this.clock = clock;
    }

    public void refused(RoutingContext context, int status, String principal, String reason) {
        refused(context, status, principal, reason, null);
    }

    public void refused(RoutingContext context, int status, String principal, String reason,
            Authentication authentication) {
        var address = context.request().remoteAddress();
        AuditLog.log(AuditRecord.refusedAccess(clock.instant(), status, principal,
                address == null ? null : address.hostAddress(),
                context.request().method().name() + " " + context.request().path(), reason, authentication));
    }
}
