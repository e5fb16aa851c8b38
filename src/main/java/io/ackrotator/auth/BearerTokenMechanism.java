package io.ackrotator.auth;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} (a configured token or an OIDC ID token) for the endpoints that need a principal and hands it to
 * {@link TokenIdentityProvider}; elsewhere the request stays anonymous and no header is read. The challenge is the
 * function's JSON error, and every refusal is audited.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private final AccessAudit audit;

    public BearerTokenMechanism(AccessAudit audit) {
        this.audit = audit;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        boolean needsPrincipal = Endpoint.at(context.request().path())
                .map(endpoint -> endpoint.access().role().isPresent()).orElse(false);
        Optional<String> token = BearerTokens.fromAuthorizationHeader(context.request().getHeader("Authorization"));
        if (!needsPrincipal || token.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(token.get(), "bearer")), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /**
     * The answer to an anonymous request the policy denied: 403 for an endpoint no token opens on this face
     * ({@code /invoke} behind the HTTP trigger), else 401 with the reason (no token, or one nobody is configured with).
     */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (Endpoint.at(context.request().path()).filter(e -> e.access() == Endpoint.Access.EVENT_SOURCE).isPresent()) {
            String reason = "/invoke is served only by the event function (rotator.face=event, no HTTP trigger): "
                    + "call the HTTP functions instead";
            audit.refused(context, 403, null, reason);
            HttpErrors.respond(context, 403, reason, null);
            return Uni.createFrom().item(true);
        }
        OidcRefusedException refusal = context.get(TokenIdentityProvider.REFUSAL);
        if (refusal != null) {
            audit.refused(context, refusal.status(), null, refusal.getMessage(), refusal.claimed());
            HttpErrors.respond(context, refusal.status(), refusal.getMessage(), "Authorization");
            return Uni.createFrom().item(true);
        }
        boolean presented = BearerTokens.fromAuthorizationHeader(context.request().getHeader("Authorization"))
                .isPresent();
        String reason = presented ? "bearer token not accepted"
                : "missing bearer token: send 'Authorization: Bearer <token>'";
        audit.refused(context, 401, null, reason);
        HttpErrors.respond(context, 401, reason, "Authorization");
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
