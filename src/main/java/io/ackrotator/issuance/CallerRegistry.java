package io.ackrotator.issuance;

import io.ackrotator.ack.ClusterId;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured callers of {@code issue} and what each may ask for. Who a request comes from was decided before
 * (the auth package maps a token to a caller's name); this says what that name may do.
 */
public final class CallerRegistry {

    /** A caller's name names its quota object on the host: a DNS label. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");
    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::[0-9]{1,32}:role/[A-Za-z0-9._@/-]{1,128}");

    private final Map<String, Caller> callers;

    private CallerRegistry(Map<String, Caller> callers) {
        this.callers = callers;
    }

    /** Validates the configuration; every problem names the property. */
    public static CallerRegistry from(Map<String, IssuanceConfig.Caller> configured, Duration globalMin,
            Duration globalMax) {
        Map<String, Caller> callers = new LinkedHashMap<>();
        configured.forEach((name, caller) -> {
            String prefix = "rotator.issue.callers." + name + ".";
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("rotator.issue.callers." + name + ": a caller's name must be "
                        + "lowercase letters, digits and '-' (at most 40), e.g. 'team-a'");
            }
            Set<String> clusters = new HashSet<>();
            for (String cluster : caller.clusters()) {
                String trimmed = cluster.trim();
                if (!trimmed.equals("*")) {
                    try {
                        ClusterId.of(trimmed);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(prefix + "clusters: " + e.getMessage());
                    }
                }
                clusters.add(trimmed);
            }
            Duration max = caller.maxValidity().orElse(globalMax);
            if (max.compareTo(globalMax) > 0 || max.compareTo(globalMin) < 0) {
                throw new IllegalArgumentException(prefix + "max-validity must lie between rotator.issue.min-validity ("
                        + globalMin + ") and rotator.issue.max-validity (" + globalMax + ")");
            }
            if (caller.tokenSha256().isEmpty() && caller.oidc().isEmpty()) {
                throw new IllegalArgumentException(prefix + "token-sha256 or oidc.issuer is required: how else would "
                        + "this caller prove who it is?");
            }
            if (caller.maxPerHour() < 1) {
                throw new IllegalArgumentException(prefix + "max-per-hour must be at least 1");
            }
            Optional<String> identity = caller.identity().map(String::trim);
            if (identity.isPresent() && !identity.get().equals("function")) {
                throw new IllegalArgumentException(prefix + "identity must be 'function' (or unset, with ram-role-arn)");
            }
            Optional<String> role = caller.ramRoleArn().map(String::trim).filter(arn -> !arn.isEmpty());
            if (role.isPresent() && identity.isPresent()) {
                throw new IllegalArgumentException(prefix + "ram-role-arn and identity=function exclude each other");
            }
            if (role.isEmpty() && identity.isEmpty()) {
                throw new IllegalArgumentException(prefix + "ram-role-arn is required (acs:ram::<account-id>:role/"
                        + "<name>, a role whose ACK RBAC grant is what this caller may do); identity=function hands "
                        + "out the function's own cluster-admin-like identity instead and must be set explicitly");
            }
            role.filter(arn -> !ROLE_ARN.matcher(arn).matches()).ifPresent(arn -> {
                throw new IllegalArgumentException(prefix + "ram-role-arn must look like acs:ram::<account-id>:role/"
                        + "<name>");
            });
            callers.put(name, new Caller(name, Set.copyOf(clusters), max, caller.maxPerHour(), role));
        });
        return new CallerRegistry(callers);
    }

    public boolean isEmpty() {
        return callers.isEmpty();
    }

    public List<Caller> callers() {
        return List.copyOf(callers.values());
    }

    public Optional<Caller> named(String name) {
        return Optional.ofNullable(callers.get(name));
    }
}
