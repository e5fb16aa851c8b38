package io.ackrotator.rotation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a stored kubeconfig stands, as decided by {@link RenewalPolicy}. */
public enum CertificateState {
    /** Outside the renewal window. */
    OK,
    /** Inside the renewal window ({@code rotator.renew-before}). */
    DUE,
    EXPIRED,
    /** Nothing stored yet. */
    MISSING,
    /** Stored, but not a usable kubeconfig. */
    UNREADABLE,
    /** Its API server refused the stored certificate (revoked, or the cluster's CA rotated), whatever its dates. */
    REJECTED,
    /** A revocation of the stored credential was started and is not finished: the sweep finishes it first. */
    REVOKING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
