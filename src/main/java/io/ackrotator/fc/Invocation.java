package io.ackrotator.fc;

import io.ackrotator.ack.AckCredentials;
import io.ackrotator.auth.Authentication;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * What the current request says about its sender, as the function classes need it: the authenticated principal
 * (decided before any function ran), its address (forwarded by FC's gateway where configured), FC's request ID,
 * and the per-invocation credentials where they are honoured.
 */
@RequestScoped
public class Invocation {

    public static final String FC_REQUEST_ID = "x-fc-request-id";

    private final CurrentVertxRequest current;
    private final FcCredentials credentials;

    public Invocation(CurrentVertxRequest current, FcCredentials credentials) {
        this.current = current;
        this.credentials = credentials;
    }

    private Optional<RoutingContext> context() {
        return Optional.ofNullable(current.getCurrent());
    }

    private Optional<HttpServerRequest> request() {
        return context().map(RoutingContext::request);
    }

    public Optional<String> header(String name) {
        return request().map(r -> r.getHeader(name)).filter(v -> !v.isBlank());
    }

    /** The principal's name, when the request was authenticated. */
    public Optional<String> principal() {
        return identity().map(identity -> identity.getPrincipal().getName());
    }

    /** How the principal proved who it is (token or OIDC ID token), when the request was authenticated. */
    public Optional<Authentication> authentication() {
        return identity().map(identity -> identity.<Authentication>getAttribute(Authentication.ATTRIBUTE));
    }

    private Optional<SecurityIdentity> identity() {
        return context().map(RoutingContext::user).filter(QuarkusHttpUser.class::isInstance)
                .map(user -> ((QuarkusHttpUser) user).getSecurityIdentity())
                .filter(identity -> !identity.isAnonymous());
    }

    /** The sender's address: the socket peer, or the forwarded client where quarkus.http.proxy is configured. */
    public Optional<String> sourceAddress() {
        return request().map(r -> r.remoteAddress() == null ? null : r.remoteAddress().hostAddress());
    }

    /** Where this request was sent: scheme and host (as forwarded by FC's gateway where configured). */
    public Optional<String> origin() {
        return request().filter(r -> r.authority() != null).map(r -> r.scheme() + "://" + r.authority());
    }

    public Optional<String> requestId() {
        return header(FC_REQUEST_ID);
    }

    /** FC's request ID, or a short one of our own where the request came without (names STS sessions). */
    public String requestIdOrNew() {
        return requestId().orElseGet(() -> java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    public Optional<AckCredentials> credentials() {
        return credentials.of(name -> header(name).orElse(null));
    }
}
