package io.ackrotator.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The one place that decides who may call what, for every request (a policy without a name applies to all paths):
 * the {@link Endpoint} table, the principal's role, and which face this process is. Anything the table does not
 * name is denied.
 */
@ApplicationScoped
public class EndpointPolicy implements HttpSecurityPolicy {

    private final FaceConfig.Face face;

    public EndpointPolicy(FaceConfig config) {
        this.face = config.face();
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext context, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext requestContext) {
        Optional<Endpoint> endpoint = Endpoint.at(context.request().path())
                .filter(found -> found.allows(context.request().method().name()));
        if (endpoint.isEmpty()) {
            return CheckResult.deny();
        }
        return switch (endpoint.get().access()) {
            case PUBLIC -> CheckResult.permit();
            case EVENT_SOURCE -> face == FaceConfig.Face.event ? CheckResult.permit() : CheckResult.deny();
            case SCRAPER -> identity.map(who -> !who.isAnonymous() && (who.hasRole(Roles.METRICS)
                    || who.hasRole(Roles.ADMIN)) ? CheckResult.PERMIT : CheckResult.DENY);
            case ADMIN, CALLER -> {
                String role = endpoint.get().access().role().orElseThrow();
                yield identity.map(who -> !who.isAnonymous() && who.hasRole(role) ? CheckResult.PERMIT
                        : CheckResult.DENY);
            }
        };
    }
}
