package io.ackrotator.issuance;

import io.ackrotator.ack.ClusterId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configured callers, known by the SHA-256 of their tokens. A presented token is hashed once and compared with every
 * caller's hash in constant time, all of them, so timing tells nothing about which or how much matched.
 */
public final class CallerRegistry {

    private final Map<Caller, byte[]> hashes;

    private CallerRegistry(Map<Caller, byte[]> hashes) {
        this.hashes = hashes;
    }

    /** Validates the configuration; every problem names the property. */
    public static CallerRegistry from(Map<String, IssuanceConfig.Caller> configured, Duration globalMin,
            Duration globalMax) {
        Map<Caller, byte[]> hashes = new LinkedHashMap<>();
        configured.forEach((name, caller) -> {
            String prefix = "rotator.issue.callers." + name + ".";
            String hash = caller.tokenSha256().trim().toLowerCase(Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(prefix + "token-sha256 must be the hex SHA-256 of the token "
                        + "(64 hex characters), e.g. printf %s \"$TOKEN\" | sha256sum");
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
            if (caller.maxPerHour() < 1) {
                throw new IllegalArgumentException(prefix + "max-per-hour must be at least 1");
            }
            hashes.put(new Caller(name, Set.copyOf(clusters), max, caller.maxPerHour()), HexFormat.of().parseHex(hash));
        });
        return new CallerRegistry(hashes);
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    public List<Caller> callers() {
        return List.copyOf(hashes.keySet());
    }

    public Optional<Caller> authenticate(String token) {
        byte[] presented = sha256(token);
        Caller found = null;
        for (Map.Entry<Caller, byte[]> entry : hashes.entrySet()) {
            if (MessageDigest.isEqual(presented, entry.getValue())) {
                found = entry.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
