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
    UNREADABLE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
