package io.ackrotator.auth;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.admin")
public interface AdminConfig {

    /**
     * Hex SHA-256 of each bearer token that admin functions (rotate, resync, status) accept; a list, so a new token
     * can be added before the old one is removed. Unset, those functions refuse every call.
     */
    Optional<List<String>> tokenSha256();
}
