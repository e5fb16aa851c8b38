package io.ackrotator.ack;

import java.time.Duration;
import java.util.Optional;

/** STS (product Sts, version 2015-04-01, RPC): a session of a RAM role, for the identity this client holds. */
public interface StsClient {

    /**
     * {@code AssumeRole}: {@code policy}, when given, narrows the session to the intersection of the role's policies
     * and this one. Throws {@link AckException} (FORBIDDEN when the role's trust policy does not name the caller).
     */
    default AssumedRole assumeRole(String roleArn, String sessionName, Duration duration, Optional<String> policy) {
        return assumeRole(roleArn, sessionName, duration, policy, Optional.empty());
    }

    /**
     * As above, with {@code externalId}: the value another account's role asks for in its trust policy
     * ({@code sts:ExternalId}), so only a caller that knows it can enter.
     */
    AssumedRole assumeRole(String roleArn, String sessionName, Duration duration, Optional<String> policy,
            Optional<String> externalId);
}
