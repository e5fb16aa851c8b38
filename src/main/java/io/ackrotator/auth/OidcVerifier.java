package io.ackrotator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * Verifies ID tokens of one {@link OidcTrust}. The key is the issuer's JWKS entry the token's {@code kid} names
 * (jose4j's HttpsJwks: cached {@value #JWKS_CACHE_MINUTES} min, or as the JWKS's Cache-Control says); a kid the cache
 * lacks refetches the JWKS early at most once per {@code forcedRefresh}, so a provider's key rotation is picked up
 * while tokens with made-up kids cannot make the function hammer the issuer. SmallRye JWT then checks the signature
 * with that key (RS256 or ES256 only), {@code iss}, {@code aud}, and {@code exp}, {@code nbf}, {@code iat} within
 * {@value #SKEW_SECONDS} s. Choosing the key here, not in SmallRye's own JWKS resolver, tells "unknown kid" (401)
 * from "keys unavailable" (503): SmallRye 4.6 reports both as one unresolvable key.
 */
final class OidcVerifier {

    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
    static final int SKEW_SECONDS = 60;
    static final int JWKS_CACHE_MINUTES = 60;
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OidcTrust trust;
    private final Duration forcedRefresh;
    private final Clock clock;
    private final Optional<String> caPem;
    private final DefaultJWTParser parser;
    private HttpsJwks jwks;
    private Instant lastForcedRefresh = Instant.MIN;

    OidcVerifier(OidcTrust trust, Duration forcedRefresh, Clock clock) {
        this.trust = trust;
        this.forcedRefresh = forcedRefresh;
        this.clock = clock;
        this.caPem = trust.caFile().map(file -> {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the OIDC CA file " + file + ": " + e.getMessage());
            }
        });
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setIssuedBy(trust.issuer());
        info.setExpectedAudience(Set.of(trust.audience()));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256));
        info.setClockSkew(SKEW_SECONDS);
        this.parser = new DefaultJWTParser(info, new DefaultJWTCallerPrincipalFactory());
    }

    OidcTrust trust() {
        return trust;
    }

    /** The verified token, or the reason it is refused. */
    JsonWebToken verify(String token) {
        PublicKey key = keyFor(token);
        try {
            return parser.verify(token, key);
        } catch (ParseException e) {
            throw refusal(e);
        }
    }

    private synchronized PublicKey keyFor(String token) {
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(token);
        } catch (JoseException e) {
            throw new OidcRefusedException(401, "ID token is not a well-formed JWS");
        }
        try {
            if (jwks == null) {
                jwks = new HttpsJwks(trust.jwksUrl().orElseGet(this::discoverJwksUrl).toString());
                jwks.setDefaultCacheDuration(JWKS_CACHE_MINUTES * 60L);
                jwks.setSimpleHttpGet(get());
                jwks.setRetainCacheOnErrorDuration(JWKS_CACHE_MINUTES * 60L); // an issuer outage keeps known keys
            }
            JsonWebKey key = select(jws, jwks.getJsonWebKeys());
            Instant now = clock.instant();
            if (key == null && !now.isBefore(lastForcedRefresh.plus(forcedRefresh))) {
                lastForcedRefresh = now;
                jwks.refresh();
                key = select(jws, jwks.getJsonWebKeys());
            }
            if (key == null) {
                throw new OidcRefusedException(401, "ID token signed with a key (kid) the issuer does not publish");
            }
            return ((PublicJsonWebKey) key).getPublicKey();
        } catch (IOException | JoseException e) {
            throw unavailable("its JWKS could not be fetched (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static JsonWebKey select(JsonWebSignature jws, List<JsonWebKey> keys) throws JoseException {
        JsonWebKey key = new VerificationJwkSelector().select(jws, keys);
        return key instanceof PublicJsonWebKey ? key : null;
    }

    /** OpenID Connect Discovery 1.0, section 4: the document's issuer must be the issuer it was fetched for. */
    private URI discoverJwksUrl() {
        String location = trust.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
        try {
            Get get = get();
            SimpleResponse response = get.get(location);
            if (response.getStatusCode() != 200) {
                throw unavailable("its discovery document answered HTTP " + response.getStatusCode());
            }
            JsonNode document = JSON.readTree(response.getBody());
            if (!trust.issuer().equals(document.path("issuer").asText(null))) {
                throw unavailable("its discovery document names another issuer");
            }
            return OidcTrust.httpsUrl("jwks_uri of " + location, document.path("jwks_uri").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            throw unavailable("its discovery document could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Get get() {
        Get get = new Get();
        get.setConnectTimeout(TIMEOUT_MILLIS);
        get.setReadTimeout(TIMEOUT_MILLIS);
        get.setResponseBodySizeLimit(512 * 1024);
        caPem.ifPresent(pem -> get.setTrustedCertificates(certificates(pem)));
        return get;
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the OIDC CA file holds no PEM certificate");
        }
    }

    private OidcRefusedException unavailable(String why) {
        return new OidcRefusedException(503, "the keys of issuer " + trust.issuer() + " are unavailable: " + why);
    }

    /** What the library found, in words: never its message, which quotes the token's claims. */
    private OidcRefusedException refusal(ParseException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                Optional<String> reason = reason(invalid);
                if (reason.isPresent()) {
                    return new OidcRefusedException(401, "ID token " + reason.get());
                }
            }
        }
        return new OidcRefusedException(401, "ID token not accepted");
    }

    private Optional<String> reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return Optional.of("expired");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return Optional.of("not yet valid (nbf)");
        }
        if (e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return Optional.of("issued in the future (iat)");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return Optional.of("is not for audience " + trust.audience());
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return Optional.of("is not from issuer " + trust.issuer());
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return Optional.of("signature does not verify with the issuer's keys");
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
            return Optional.of("lacks exp or iat");
        }
        return Optional.empty();
    }
}
