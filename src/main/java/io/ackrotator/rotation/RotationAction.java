package io.ackrotator.rotation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a sweep did to one cluster. */
public enum RotationAction {
    /** Nothing to do: outside the renewal window. */
    OK,
    ROTATED,
    /** Due, but ACK still hands out the current certificate (it renews within 180 days of expiry). */
    NOT_YET_RENEWABLE,
    /** First kubeconfig fetched and stored for a cluster the store didn't hold. */
    ADOPTED,
    /** The stored credential revoked at ACK (POST /revoke) and replaced by a new verified one. */
    REVOKED,
    /** Not started: the sweep reached rotator.sweep.deadline, or another run holds it; the next run takes it. */
    DEFERRED,
    /** Would have rotated or adopted; nothing fetched, nothing written. */
    DRY_RUN,
    FAILED;

    /** A new credential was stored: its copies (KubeSphere hosts) must follow, and its old condition no longer holds. */
    public boolean renewsCredential() {
        return this == ROTATED || this == ADOPTED || this == REVOKED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
