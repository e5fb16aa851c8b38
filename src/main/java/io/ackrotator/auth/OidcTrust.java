package io.ackrotator.auth;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One issuer and audience whose tokens one verifier checks (callers sharing both share its key cache). */
record OidcTrust(String issuer, String audience, Optional<URI> jwksUrl, Optional<Path> caFile) {

    static OidcTrust of(String prefix, io.ackrotator.issuance.IssuanceConfig.Oidc oidc) {
        String issuer = oidc.issuer().trim();
        httpsUrl(prefix + "issuer", issuer);
        String audience = oidc.audience().trim();
        if (audience.isEmpty()) {
            throw new IllegalArgumentException(prefix + "audience must not be empty");
        }
        Optional<URI> jwks = oidc.jwksUrl().map(String::trim).filter(url -> !url.isEmpty())
                .map(url -> httpsUrl(prefix + "jwks-url", url));
        Optional<Path> ca = oidc.caFile().map(String::trim).filter(file -> !file.isEmpty()).map(Path::of);
        ca.filter(file -> !Files.isReadable(file)).ifPresent(file -> {
            throw new IllegalArgumentException(prefix + "ca-file " + file + " is not a readable file");
        });
        return new OidcTrust(issuer, audience, jwks, ca);
    }

    /** Keys fetched over plain HTTP could be anyone's, so every URL here is HTTPS. */
    static URI httpsUrl(String property, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not a URL: " + e.getMessage());
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(property + " must be an https:// URL without query or fragment, e.g. "
                    + "https://token.actions.githubusercontent.com");
        }
        return uri;
    }
}
