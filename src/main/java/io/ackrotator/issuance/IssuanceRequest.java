package io.ackrotator.issuance;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import java.time.Duration;
import java.util.Optional;

/** A validated request for a temporary kubeconfig. */
public record IssuanceRequest(ClusterId clusterId, Optional<Duration> validity, AckAccess access) {
}
