package io.ackrotator.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A bearer token becomes the identity it was configured for, with that principal's one role: a configured token
 * (by its hash), else an OIDC ID token of a configured issuer (verified off the event loop: its keys may have to be
 * fetched). Anything else fails; why is left on the request for the challenge to answer and audit.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** The routing-context key of the refusal an ID token met. */
    static final String REFUSAL = "io.ackrotator.auth.refusal";

    private final TokenRegistry tokens;
    private final OidcCallers oidc;

    public TokenIdentityProvider(TokenRegistry tokens, OidcCallers oidc) {
        this.tokens = tokens;
        this.oidc = oidc;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        Optional<Principal> configured = tokens.identify(token);
        if (configured.isPresent()) {
            return Uni.createFrom().item(identity(configured.get(), Authentication.token()));
        }
        if (oidc.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        return context.runBlocking(() -> {
            try {
                return oidc.identify(token)
                        .map(found -> identity(found.principal(), found.authentication()))
                        .orElseThrow(AuthenticationFailedException::new);
            } catch (OidcRefusedException e) {
                if (routing != null) {
                    routing.put(REFUSAL, e);
                }
                throw new AuthenticationFailedException();
            }
        });
    }

    private static SecurityIdentity identity(Principal principal, Authentication authentication) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principal.name()))
                .addRole(principal.role())
                .addAttribute(Authentication.ATTRIBUTE, authentication)
                .build();
    }
}
