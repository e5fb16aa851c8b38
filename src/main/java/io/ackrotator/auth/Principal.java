package io.ackrotator.auth;

/** Who a token says the caller is: an admin, or a named caller of {@code issue}. Never holds the token. */
public record Principal(String name, String role) {

    public static Principal admin() {
        return new Principal("admin", Roles.ADMIN);
    }

    public static Principal scraper() {
        return new Principal("metrics", Roles.METRICS);
    }

    public static Principal caller(String name) {
        return new Principal(name, Roles.CALLER);
    }
}
