package io.ackrotator.auth;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Every path the function serves, the methods it answers and who may call it. This table is the whole surface: a
 * path that is not here, byte for byte as the request sent it (no trailing slash, case folding, {@code ;params},
 * percent-encoding or dot segments), is answered 404 before authentication, and {@link EndpointPolicy} decides
 * every request from the same table.
 */
public enum Endpoint {
    INITIALIZE("/initialize", Access.PUBLIC, "POST"),
    PRE_STOP("/pre-stop", Access.PUBLIC, "GET"),
    INVOKE("/invoke", Access.EVENT_SOURCE, "POST"),
    ROTATE("/rotate", Access.ADMIN, "POST"),
    RESYNC("/resync", Access.ADMIN, "POST"),
    STATUS("/status", Access.ADMIN, "GET", "POST"),
    REVOKE_ISSUED("/revoke-issued", Access.ADMIN, "POST"),
    AUDIT("/audit", Access.ADMIN, "POST"),
    REVOKE("/revoke", Access.ADMIN, "POST"),
    OFFBOARD("/offboard", Access.ADMIN, "POST"),
    METRICS("/metrics", Access.SCRAPER, "GET"),
    ISSUE("/issue", Access.CALLER, "POST"),
    CREDENTIAL("/credential", Access.CALLER, "POST");

    /** Who may call an endpoint. */
    public enum Access {
        /** FC's lifecycle hooks: no state is read, nothing is returned that a stranger may not see. */
        PUBLIC(null),
        /** FC event invocations: open only where FC's InvokeFunction API (guarded by RAM) is the only sender. */
        EVENT_SOURCE(null),
        /** An admin token. */
        ADMIN(Roles.ADMIN),
        /** A configured caller of {@code issue}; which clusters it may ask for is issuance's decision. */
        CALLER(Roles.CALLER),
        /** The scrape token, or the admin's. */
        SCRAPER(Roles.METRICS);

        private final String role;

        Access(String role) {
            this.role = role;
        }

        /** The role a principal needs, empty where no principal is needed. */
        public Optional<String> role() {
            return Optional.ofNullable(role);
        }
    }

    private final String path;
    private final Access access;
    private final Set<String> methods;

    Endpoint(String path, Access access, String... methods) {
        this.path = path;
        this.access = access;
        this.methods = Set.of(methods);
    }

    public String path() {
        return path;
    }

    public Access access() {
        return access;
    }

    public boolean allows(String method) {
        return methods.contains(method);
    }

    public Set<String> methods() {
        return methods;
    }

    /** The endpoint at exactly this raw request path (without the query), if any. */
    public static Optional<Endpoint> at(String rawPath) {
        return Arrays.stream(values()).filter(endpoint -> endpoint.path.equals(rawPath)).findFirst();
    }
}
