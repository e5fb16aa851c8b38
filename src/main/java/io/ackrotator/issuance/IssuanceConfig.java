package io.ackrotator.issuance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.issue")
public interface IssuanceConfig {

    /** Shortest validity a caller may ask for (ACK accepts 15 minutes to 3 days). */
    @WithDefault("PT30M")
    Duration minValidity();

    /** Longest validity a caller may ask for. */
    @WithDefault("P3D")
    Duration maxValidity();

    /** Validity when the request names none. */
    @WithDefault("PT1H")
    Duration defaultValidity();

    /** Also record each audit entry of an authenticated caller as a Kubernetes Event in the store namespace. */
    @WithDefault("true")
    boolean auditEvents();

    /** Kubeconfigs whose user is a credential plugin ({@code "format": "exec"}). */
    Exec exec();

    interface Exec {
        /** The URL kubectl's plugin calls; default: the scheme and host the issue request came to. */
        Optional<String> url();

        /** The environment variable the plugin reads the caller's token from. */
        @WithDefault("ACK_KUBECONFIG_ROTATOR_TOKEN")
        String tokenVariable();
    }

    /**
     * How soon the JWKS of an OIDC issuer may be fetched again for a token whose {@code kid} it lacks (a provider's
     * key rotation).
     */
    @WithDefault("PT30M")
    Duration oidcJwksForcedRefresh();

    /** Callers by name. None configured: every request is refused. */
    Map<String, Caller> callers();

    interface Caller {
        /**
         * Hex SHA-256 of each bearer token the caller may present (a list, so a token can be rotated without
         * downtime); the token itself is never configured. A caller needs this, {@code oidc}, or both.
         */
        Optional<List<String>> tokenSha256();

        /** Authenticate with an OIDC ID token (a CI job's) instead of a static secret. */
        Optional<Oidc> oidc();

        /** Cluster IDs this caller may get kubeconfigs for, or {@code *} for any. */
        List<String> clusters();

        /** A tighter ceiling than the global one for this caller. */
        Optional<Duration> maxValidity();

        @WithDefault("60")
        int maxPerHour();

        /**
         * The RAM role ({@code acs:ram::<account>:role/<name>}) the function assumes to fetch this caller's
         * kubeconfigs: their certificates carry the role's identity, and the role's ACK RBAC grant is what the
         * caller can do. Required unless {@code identity} is {@code function}.
         */
        Optional<String> ramRoleArn();

        /** {@code function}: hand out kubeconfigs of the function's own identity (cluster-admin-like). Opt-in only. */
        Optional<String> identity();
    }

    /**
     * Which ID tokens are this caller's: signed by the issuer's keys (its JWKS), with this issuer and audience, not
     * expired, and carrying every listed claim value.
     */
    interface Oidc {
        /** The token's {@code iss}, exactly, e.g. {@code https://token.actions.githubusercontent.com}. */
        String issuer();

        /** The {@code aud} the token must name, e.g. {@code ack-kubeconfig-rotator}. */
        String audience();

        /**
         * {@code claim=value} pairs the token must all carry, e.g. {@code repository=octo-org/deploy} and
         * {@code ref=refs/heads/main}. At least one: issuer and audience alone admit every job of every tenant.
         */
        Optional<List<String>> claims();

        /** Where the issuer publishes its keys; default: {@code jwks_uri} of its OpenID discovery document. */
        Optional<String> jwksUrl();

        /** PEM file of the CA that signed the issuer's TLS certificate (self-managed GitLab); default: the JDK's. */
        Optional<String> caFile();
    }
}
