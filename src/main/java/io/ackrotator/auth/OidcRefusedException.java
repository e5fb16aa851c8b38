package io.ackrotator.auth;

/**
 * An ID token not accepted, with the reason the audit and the answer give (never the token) and the status: 401,
 * or 503 when the issuer's keys could not be fetched (not the caller's fault, worth a retry). The identity provider
 * turns it into Quarkus' authentication failure and leaves it on the request for the challenge.
 */
public final class OidcRefusedException extends RuntimeException {

    private final int status;
    private final Authentication claimed;

    OidcRefusedException(int status, String reason) {
        this(status, reason, null);
    }

    private OidcRefusedException(int status, String reason, Authentication claimed) {
        super(reason, null, false, false);
        this.status = status;
        this.claimed = claimed;
    }

    /** The same refusal, naming the issuer and subject the token claims (unverified: the audit says so). */
    OidcRefusedException claiming(Authentication claimed) {
        return new OidcRefusedException(status, getMessage(), claimed);
    }

    /** What the refused token claimed to be, when it could be read; may be null. */
    public Authentication claimed() {
        return claimed;
    }

    public int status() {
        return status;
    }
}
