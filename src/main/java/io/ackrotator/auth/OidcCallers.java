package io.ackrotator.auth;

import io.ackrotator.issuance.IssuanceConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.json.JsonString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The callers that authenticate with an OIDC ID token, and which token is whose. A token is tried only against the
 * verifiers of the issuer it names (its keys then prove it); the caller is the one whose audience it carries and
 * whose every claim matcher it meets. Two callers of one issuer and audience must differ in some claim's value, so a
 * token is never both: one token, one principal, as with bearer-token hashes.
 */
@Singleton
public class OidcCallers {

    record OidcCaller(String name, OidcVerifier verifier, List<ClaimMatch> claims) {
    }

    /** Who an accepted token is. */
    public record Identified(Principal principal, Authentication authentication) {
    }

    private static final Logger LOG = Logger.getLogger(OidcCallers.class);

    private final List<OidcCaller> callers;

    public OidcCallers(IssuanceConfig issuance, Clock clock) {
        Map<OidcTrust, OidcVerifier> verifiers = new LinkedHashMap<>();
        List<OidcCaller> all = new ArrayList<>();
        issuance.callers().forEach((name, caller) -> caller.oidc().ifPresent(oidc -> {
            String prefix = "rotator.issue.callers." + name + ".oidc.";
            OidcTrust trust = OidcTrust.of(prefix, oidc);
            List<ClaimMatch> claims = oidc.claims().orElse(List.of()).stream().map(pair -> ClaimMatch.parse(prefix + "claims", pair))
                    .toList();
            if (claims.isEmpty()) {
                throw new IllegalArgumentException(prefix + "claims: name at least one claim=value (e.g. "
                        + "repository=<owner>/<repo>): any job on the issuer can ask for any audience");
            }
            OidcCaller added = new OidcCaller(name, verifiers.computeIfAbsent(trust,
                    t -> new OidcVerifier(t, issuance.oidcJwksForcedRefresh(), clock)), claims);
            for (OidcCaller other : all) {
                if (other.verifier() == added.verifier() && claims.stream()
                        .noneMatch(mine -> other.claims().stream().anyMatch(mine::excludes))) {
                    throw new IllegalArgumentException(prefix + "claims: one token could match both '" + other.name()
                            + "' and '" + name + "' (same issuer and audience): give them a claim with different "
                            + "values, e.g. different repository");
                }
            }
            all.add(added);
        }));
        this.callers = List.copyOf(all);
    }

    void report(@Observes StartupEvent event) {
        callers.forEach(caller -> LOG.infof("caller %s: OIDC ID tokens of %s for audience %s with %s", caller.name(),
                caller.verifier().trust().issuer(), caller.verifier().trust().audience(), caller.claims()));
    }

    public boolean isEmpty() {
        return callers.isEmpty();
    }

    /** Empty when the token is not a JWS at all (an opaque bearer token nobody configured). */
    public Optional<Identified> identify(String token) {
        Optional<UnverifiedJwt> parsed = UnverifiedJwt.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        UnverifiedJwt jwt = parsed.get();
        try {
            return Optional.of(identify(token, jwt));
        } catch (OidcRefusedException e) {
            throw e.claiming(Authentication.claimed(jwt.issuer().map(OidcCallers::printable).orElse(null),
                    jwt.subject().map(OidcCallers::printable).orElse(null)));
        }
    }

    private Identified identify(String token, UnverifiedJwt jwt) {
        if (!OidcVerifier.ALGORITHMS.contains(jwt.algorithm())) {
            throw new OidcRefusedException(401, "ID token signed with alg '" + printable(jwt.algorithm())
                    + "': only RS256 and ES256 are accepted");
        }
        if (jwt.header().path("kid").asText("").isEmpty()) {
            throw new OidcRefusedException(401, "ID token without kid: the issuer's keys are chosen by kid");
        }
        String issuer = jwt.issuer().orElseThrow(() -> new OidcRefusedException(401, "ID token without iss"));
        List<OidcVerifier> trusted = callers.stream().map(OidcCaller::verifier)
                .filter(verifier -> verifier.trust().issuer().equals(issuer)).distinct().toList();
        if (trusted.isEmpty()) {
            throw new OidcRefusedException(401, "no caller trusts ID tokens of issuer " + printable(issuer));
        }
        OidcRefusedException refused = null;
        for (OidcVerifier verifier : trusted) {
            JsonWebToken verified;
            try {
                verified = verifier.verify(token);
            } catch (OidcRefusedException e) {
                refused = refused == null || e.status() == 503 ? e : refused;
                continue;
            }
            Authentication authentication = Authentication.oidc(issuer, verified.getSubject());
            return callers.stream().filter(caller -> caller.verifier() == verifier)
                    .filter(caller -> caller.claims().stream().allMatch(claim -> claim.matches(text(verified))))
                    .findFirst()
                    .map(caller -> new Identified(Principal.caller(caller.name()), authentication))
                    .orElseThrow(() -> new OidcRefusedException(401, "ID token of " + issuer + " for subject "
                            + printable(String.valueOf(verified.getSubject())) + " matches no caller's claims"));
        }
        throw refused;
    }

    private static java.util.function.Function<String, Optional<String>> text(JsonWebToken token) {
        return claim -> Optional.ofNullable((Object) token.getClaim(claim))
                .map(value -> value instanceof JsonString string ? string.getString() : value.toString());
    }

    /** A value from an unverified token goes into the audit line, so bounded and plain. */
    private static String printable(String value) {
        String plain = value.replaceAll("[^\\x20-\\x7e]", "?");
        return plain.length() > 120 ? plain.substring(0, 120) + "..." : plain;
    }
}
