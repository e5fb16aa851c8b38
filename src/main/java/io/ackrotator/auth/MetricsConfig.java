package io.ackrotator.auth;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.metrics")
public interface MetricsConfig {

    /**
     * Hex SHA-256 of each token Prometheus may scrape {@code GET /metrics} with (and nothing else); the admin token
     * works too. A list, for rotation without downtime.
     */
    Optional<List<String>> tokenSha256();
}
