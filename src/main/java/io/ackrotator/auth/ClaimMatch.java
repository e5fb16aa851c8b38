package io.ackrotator.auth;

import java.util.Optional;
import java.util.function.Function;

/** One {@code claim=value} a caller's ID tokens must carry; a string, boolean or number claim compared as text. */
record ClaimMatch(String claim, String value) {

    static ClaimMatch parse(String property, String pair) {
        int equals = pair.indexOf('=');
        if (equals <= 0 || equals == pair.length() - 1) {
            throw new IllegalArgumentException(property + ": '" + pair + "' must be claim=value, e.g. "
                    + "repository=octo-org/deploy");
        }
        String claim = pair.substring(0, equals).trim();
        if (claim.equals("iss") || claim.equals("aud") || claim.equals("exp") || claim.equals("nbf")
                || claim.equals("iat")) {
            throw new IllegalArgumentException(property + ": '" + claim + "' is checked already; match the claims "
                    + "that name the job, e.g. sub, repository, ref, project_path");
        }
        return new ClaimMatch(claim, pair.substring(equals + 1).trim());
    }

    /** {@code claims}: a verified token's claim by name, as text. */
    boolean matches(Function<String, Optional<String>> claims) {
        return claims.apply(claim).filter(value::equals).isPresent();
    }

    /** Two callers whose tokens differ in this claim can never both match one token. */
    boolean excludes(ClaimMatch other) {
        return claim.equals(other.claim) && !value.equals(other.value);
    }
}
