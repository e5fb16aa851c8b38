package io.ackrotator.fc;

import io.ackrotator.ack.AckCredentials;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * What the current HTTP request says about the caller: its bearer token, its address, and the per-invocation
 * credentials Function Compute passes in {@code x-fc-*} headers (the function role's STS credentials).
 */
@RequestScoped
public class Invocation {

    public static final String FC_REQUEST_ID = "x-fc-request-id";
    public static final String FC_ACCESS_KEY_ID = "x-fc-access-key-id";
    public static final String FC_ACCESS_KEY_SECRET = "x-fc-access-key-secret";
    public static final String FC_SECURITY_TOKEN = "x-fc-security-token";

    private final CurrentVertxRequest current;

    public Invocation(CurrentVertxRequest current) {
        this.current = current;
    }

    private Optional<HttpServerRequest> request() {
        return Optional.ofNullable(current.getCurrent()).map(context -> context.request());
    }

    public Optional<String> header(String name) {
        return request().map(r -> r.getHeader(name)).filter(v -> !v.isBlank());
    }

    public Optional<String> bearerToken() {
        return header("Authorization").flatMap(BearerTokens::fromAuthorizationHeader);
    }

    public Optional<String> sourceAddress() {
        return request().map(r -> r.remoteAddress() == null ? null : r.remoteAddress().hostAddress());
    }

    public Optional<String> requestId() {
        return header(FC_REQUEST_ID);
    }

    /** The role credentials FC sent with this invocation, if it sent a complete pair; they win over the env. */
    public Optional<AckCredentials> credentials() {
        return credentialsOf(name -> header(name).orElse(null));
    }

    static Optional<AckCredentials> credentialsOf(java.util.function.Function<String, String> headers) {
        Optional<String> id = Optional.ofNullable(headers.apply(FC_ACCESS_KEY_ID)).filter(v -> !v.isBlank());
        Optional<String> secret = Optional.ofNullable(headers.apply(FC_ACCESS_KEY_SECRET)).filter(v -> !v.isBlank());
        if (id.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AckCredentials(id.get(), secret.get(),
                Optional.ofNullable(headers.apply(FC_SECURITY_TOKEN))));
    }
}
