package io.ackrotator.ack;

import java.util.Map;
import java.util.Optional;

/**
 * An AccessKey pair, with an STS token when it is a role's temporary credential (what Function Compute hands a
 * function). {@link #toString()} shows the key ID only.
 */
public record AckCredentials(String accessKeyId, String accessKeySecret, Optional<String> securityToken) {

    public static final String ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    public static final String ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
    public static final String ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN";

    public AckCredentials {
        if (accessKeyId == null || accessKeyId.isBlank() || accessKeySecret == null || accessKeySecret.isBlank()) {
            throw new IllegalArgumentException("an AccessKey ID and secret are both required");
        }
        securityToken = securityToken.filter(token -> !token.isBlank());
    }

    public static Optional<AckCredentials> fromEnvironment(Map<String, String> env) {
        String id = env.get(ENV_ACCESS_KEY_ID);
        String secret = env.get(ENV_ACCESS_KEY_SECRET);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new AckCredentials(id, secret, Optional.ofNullable(env.get(ENV_SECURITY_TOKEN))));
    }

    @Override
    public String toString() {
        return "AckCredentials[accessKeyId=" + accessKeyId + ", sts=" + securityToken.isPresent() + "]";
    }
}
