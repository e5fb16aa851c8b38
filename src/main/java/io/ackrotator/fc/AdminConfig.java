package io.ackrotator.fc;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.admin")
public interface AdminConfig {

    /**
     * Hex SHA-256 of the bearer token that admin functions over HTTP (rotate, resync, status) require. Unset, those
     * functions refuse every HTTP call; FC event invocations ({@code /invoke}) are authenticated by FC itself.
     */
    Optional<String> tokenSha256();
}
