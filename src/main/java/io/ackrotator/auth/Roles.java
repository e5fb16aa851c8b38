package io.ackrotator.auth;

/** The roles a {@code SecurityIdentity} of this function can carry. */
public final class Roles {

    /** Rotate, re-sync, status: the fleet's operators. */
    public static final String ADMIN = "admin";
    /** A named caller of {@code issue}; the principal's name is the caller's name. */
    public static final String CALLER = "caller";
    /** Prometheus: may read /metrics and nothing else (the admin may read it too). */
    public static final String METRICS = "metrics";

    private Roles() {
    }
}
