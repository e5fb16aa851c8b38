package io.ackrotator.notify;

import io.ackrotator.rotation.CertificateState;
import io.ackrotator.rotation.RotationAction;
import io.ackrotator.rotation.RotationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What people are told about a cluster, from one sweep's result: {@code failed} (the rotation failed),
 * {@code expiring} (its kubeconfig expires within warn-before and was not renewed), or {@code ok}. Pure.
 */
public enum ClusterCondition {
    OK, FAILED, EXPIRING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ClusterCondition> of(String wire) {
        for (ClusterCondition condition : values()) {
            if (condition.wireName().equals(wire)) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }

    /** Empty for a result that says nothing about the cluster's health (deferred, dry run). */
    public static Optional<ClusterCondition> of(RotationResult result, Instant now, Duration warnBefore) {
        if (result.action() == RotationAction.DEFERRED || result.action() == RotationAction.DRY_RUN) {
            return Optional.empty();
        }
        boolean renewed = result.action().renewsCredential();
        Instant notAfter = result.newNotAfter() != null ? result.newNotAfter() : result.oldNotAfter();
        boolean expiring = !renewed && notAfter != null && notAfter.isBefore(now.plus(warnBefore))
                && (result.state() == CertificateState.DUE || result.state() == CertificateState.EXPIRED);
        if (expiring) {
            return Optional.of(EXPIRING);
        }
        return Optional.of(result.action() == RotationAction.FAILED ? FAILED : OK);
    }
}
