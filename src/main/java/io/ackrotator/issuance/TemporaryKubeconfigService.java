package io.ackrotator.issuance;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckConfig;
import io.ackrotator.ack.RoleSessions;
import io.ackrotator.ack.SessionPolicy;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.IssuedKubeconfig;
import io.ackrotator.host.HostCluster;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.kubeconfig.KubeconfigException;
import io.ackrotator.rotation.RotationConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Issues temporary kubeconfigs to authenticated callers within policy, and audits every decision, issued or refused.
 * Who is calling was decided before (auth); here the checks run in this order: request shape, cluster allowed,
 * validity bounds, hourly limit (this instance's count first, then the host's, which holds across instances); then
 * ACK.
 */
@ApplicationScoped
public class TemporaryKubeconfigService {

    /** What ACK's TemporaryDurationMinutes accepts; the configured bounds must lie within. */
    public static final Duration ACK_MIN = Duration.ofMinutes(15);
    public static final Duration ACK_MAX = Duration.ofMinutes(4320);
    private static final Logger LOG = Logger.getLogger(TemporaryKubeconfigService.class);

    private final IssuanceConfig config;
    private final CallerRegistry callers;
    private final CallerRateLimit rateLimit;
    private final CallerQuota quota;
    private final Clock clock;
    private final HostCluster host;
    private final String namespace;
    private final RoleSessions sessions;
    private final String region;

    public TemporaryKubeconfigService(IssuanceConfig config, CallerRegistry callers, RotationConfig rotation,
            Clock clock, HostCluster host, RoleSessions sessions, AckConfig ack) {
        this.sessions = sessions;
        this.region = ack.region();
        this.config = config;
        this.callers = callers;
        this.rateLimit = new CallerRateLimit(clock);
        this.quota = new CallerQuota(rotation.namespace(), clock);
        this.clock = clock;
        this.host = host;
        this.namespace = rotation.namespace();
    }

    void validate(@Observes StartupEvent event) {
        if (callers.isEmpty()) {
            LOG.info("issue: no caller configured; every request will be refused");
        }
        callers.callers().stream().filter(caller -> caller.ramRoleArn().isEmpty()).forEach(caller -> LOG.warnf(
                "issue: caller '%s' has identity=function: its kubeconfigs carry the function's own identity, which "
                        + "holds cluster-admin-like RBAC on every member (KubeSphere needs it), and can't be revoked "
                        + "without the fleet's stored kubeconfig; give it rotator.issue.callers.%s.ram-role-arn",
                caller.name(), caller.name()));
    }

    static void validateBounds(IssuanceConfig config) {
        Duration min = config.minValidity();
        Duration max = config.maxValidity();
        if (min.compareTo(ACK_MIN) < 0 || max.compareTo(ACK_MAX) > 0 || min.compareTo(max) > 0) {
            throw new IllegalArgumentException("rotator.issue.min-validity (" + min + ") and max-validity (" + max
                    + ") must satisfy 15 minutes <= min <= max <= 4320 minutes (what ACK accepts)");
        }
        Duration fallback = config.defaultValidity();
        if (fallback.compareTo(min) < 0 || fallback.compareTo(max) > 0) {
            throw new IllegalArgumentException("rotator.issue.default-validity (" + fallback
                    + ") must lie between min-validity and max-validity");
        }
    }

    /** The policy of the caller a token was configured for (auth made sure the name is a configured caller). */
    public Caller caller(String name) {
        return callers.named(name).orElseThrow(() -> new IllegalStateException("no caller named " + name));
    }

    /** An authenticated caller sent a request that doesn't parse: audited, answered 400. */
    public IssuanceRefusedException refuseInvalid(Caller caller, Requester requester, AckClient ack,
            String field, String message) {
        Audit audit = new Audit(requester, ack);
        audit.caller = caller.name();
        return audit.refuse(400, message, field);
    }

    /** Issues within the caller's policy, or refuses with the status and reason the audit records. */
    public TemporaryKubeconfig issue(Caller caller, IssuanceRequest request, Requester requester,
            AckClient ack, String requestId) {
        Audit audit = new Audit(requester, ack);
        audit.caller = caller.name();
        audit.request = request;
        if (!caller.mayAccess(request.clusterId())) {
            throw audit.refuse(403, "caller '" + caller.name() + "' may not get kubeconfigs for cluster "
                    + request.clusterId(), "clusterId");
        }
        Duration validity = request.validity().orElse(config.defaultValidity());
        Duration max = caller.maxValidity();
        if (validity.compareTo(config.minValidity()) < 0 || validity.compareTo(max) > 0) {
            throw audit.refuse(400, "validityMinutes must be between " + config.minValidity().toMinutes() + " and "
                    + max.toMinutes() + " for caller '" + caller.name() + "'", "validityMinutes");
        }
        audit.granted = validity;
        boolean taken;
        try {
            taken = !rateLimit.exhausted(caller) && quota.tryTake(host.client(ack), caller);
        } catch (CallerQuota.QuotaUnavailableException | AckException e) {
            throw audit.refuse(503, "not issued: " + e.getMessage(), null);
        }
        if (!taken) {
            throw audit.refuse(429, "caller '" + caller.name() + "' reached its limit of " + caller.maxPerHour()
                    + " kubeconfigs per hour", null);
        }
        rateLimit.taken(caller);

        Kubeconfig kubeconfig;
        Optional<Instant> ackExpiration;
        try {
            IssuedKubeconfig issued;
            if (caller.ramRoleArn().isEmpty()) {
                issued = ack.describeUserKubeconfig(request.clusterId(), request.access(), Optional.of(validity));
            } else {
                audit.roleArn = caller.ramRoleArn().get();
                RoleSessions.Grant grant = new RoleSessions.Grant(caller.ramRoleArn().get(),
                        sessionName(caller, requestId), SessionPolicy.kubeconfig(region, request.clusterId(),
                                validity.toMinutes()));
                issued = asRole(grant, audit, caller, session -> session.ack().describeUserKubeconfig(
                        request.clusterId(), request.access(), Optional.of(validity)));
            }
            kubeconfig = Kubeconfig.parse(issued.kubeconfig());
            ackExpiration = issued.expiration();
        } catch (AckException e) {
            throw audit.refuse(statusFor(e), e.getMessage(), null);
        } catch (KubeconfigException e) {
            throw audit.refuse(502, "ACK returned an unusable kubeconfig: " + e.getMessage(), null);
        }
        Instant expiresAt = kubeconfig.notAfter();
        ackExpiration.filter(expiration -> Duration.between(expiration, expiresAt).abs().getSeconds() > 60)
                .ifPresent(expiration -> LOG.warnf("cluster %s: ACK says the kubeconfig expires %s but its "
                        + "certificate says %s; trusting the certificate", request.clusterId(), expiration, expiresAt));
        audit.issued(kubeconfig);
        return new TemporaryKubeconfig(request.clusterId().value(), kubeconfig.text(), expiresAt,
                kubeconfig.identity().subject(), kubeconfig.identity().serial(), request.access().wireName(),
                validity.toMinutes());
    }

    /**
     * Runs {@code call} as the caller's role. A cached session ACK no longer accepts (its token expired by ACK's
     * clock, or was revoked) is dropped and the call made once more with a fresh one.
     */
    private <T> T asRole(RoleSessions.Grant grant, Audit audit, Caller caller,
            java.util.function.Function<RoleSessions.Session, T> call) {
        for (int attempt = 1;; attempt++) {
            RoleSessions.Session session;
            try {
                session = sessions.as(grant);
            } catch (AckException e) {
                throw audit.refuse(statusFor(e), "the function could not act as caller '" + caller.name()
                        + "''s role: " + e.getMessage(), null);
            }
            audit.assumedRoleId = session.role().assumedRoleId();
            try {
                return call.apply(session);
            } catch (AckException e) {
                if (attempt > 1 || !RoleSessions.tokenRefused(e)) {
                    throw e;
                }
                sessions.forget(grant, session);
            }
        }
    }

    public Optional<String> execUrl() {
        return config.exec().url().filter(url -> !url.isBlank());
    }

    public String execTokenVariable() {
        return config.exec().tokenVariable();
    }

    /** STS's RoleSessionName: 2-64 of [A-Za-z0-9.@_-]; it shows in ActionTrail, so it names caller and request. */
    static String sessionName(Caller caller, String requestId) {
        String name = (caller.name() + "-" + requestId).replaceAll("[^A-Za-z0-9.@_-]", "_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static int statusFor(AckException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case THROTTLED -> 429;
            case INVALID_REQUEST -> 400;
            case NO_CREDENTIALS -> 500;
            default -> 502;
        };
    }

    /** Collects what is known as the checks go, and writes exactly one record per request. */
    private final class Audit {
        private final Requester requester;
        private final AckClient ack;
        private String caller;
        private IssuanceRequest request;
        private Duration granted;
        private String roleArn;
        private String assumedRoleId;

        Audit(Requester requester, AckClient ack) {
            this.requester = requester;
            this.ack = ack;
        }

        IssuanceRefusedException refuse(int status, String reason, String field) {
            write(new AuditRecord(clock.instant(), AuditRecord.REFUSED, status, caller,
                    requester.sourceIp().orElse(null), request == null ? null : request.clusterId().value(),
                    requestedMinutes(), null, request == null ? null : request.access().wireName(), null, null, null,
                    reason, requester.endpoint(), roleArn, assumedRoleId, requester.authentication()));
            return new IssuanceRefusedException(status, reason, field);
        }

        void issued(Kubeconfig kubeconfig) {
            write(new AuditRecord(clock.instant(), AuditRecord.ISSUED, 200, caller,
                    requester.sourceIp().orElse(null), request.clusterId().value(), requestedMinutes(),
                    granted.toMinutes(), request.access().wireName(), kubeconfig.identity().serial(),
                    kubeconfig.identity().subject(), kubeconfig.notAfter(), null, requester.endpoint(), roleArn,
                    assumedRoleId, requester.authentication()));
        }

        private Long requestedMinutes() {
            return request == null ? null : request.validity().map(Duration::toMinutes).orElse(null);
        }

        private void write(AuditRecord record) {
            io.ackrotator.metrics.Recorded.issuance(record.caller(), record.outcome());
            AuditLog.write(record, config.auditEvents(), () -> host.client(ack), namespace);
        }
    }
}
