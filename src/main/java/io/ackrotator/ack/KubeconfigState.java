package io.ackrotator.ack;

import java.time.Instant;
import java.util.Optional;

/**
 * One identity's kubeconfig on a cluster, as {@code ListClusterKubeconfigStates} lists it. Every field ACK may leave
 * out is optional: a missing one is reported as unknown, never guessed.
 */
public record KubeconfigState(String accountId, Optional<String> accountName, Optional<String> accountType,
        Optional<String> accountState, Optional<Instant> certExpireTime, Optional<String> certState,
        Optional<Boolean> revokable) {

    public static final String ROOT_ACCOUNT = "RootAccount";
    public static final String RAM_USER = "RamUser";
    public static final String RAM_ROLE = "RamRole";
    public static final String ACTIVE = "Active";
    public static final String INACTIVE = "InActive";
    public static final String DELETED = "Deleted";
    public static final String EXPIRED = "Expired";
}
