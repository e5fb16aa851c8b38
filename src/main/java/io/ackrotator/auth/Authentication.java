package io.ackrotator.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a caller proved who it is, as the audit names it: a configured bearer token, or an OIDC ID token of
 * {@code issuer} about {@code subject} (the CI job). Never the token itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Authentication(String kind, String issuer, String subject) {

    /** The attribute of a {@code SecurityIdentity} that holds this. */
    public static final String ATTRIBUTE = "io.ackrotator.authentication";

    public static Authentication token() {
        return new Authentication("token", null, null);
    }

    public static Authentication oidc(String issuer, String subject) {
        return new Authentication("oidc", issuer, subject);
    }

    /** What a refused ID token said about itself, not verified. */
    public static Authentication claimed(String issuer, String subject) {
        return new Authentication("oidc-unverified", issuer, subject);
    }
}
