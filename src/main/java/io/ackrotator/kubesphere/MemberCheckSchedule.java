package io.ackrotator.kubesphere;

import io.ackrotator.rotation.RenewalPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a member is checked again: at most once per {@code rotator.probe-interval}, unless what it holds changed (the
 * Cluster's kubeconfig is another than at the last check) or its cluster was renewed in this sweep. A check is kept
 * as {@code <fingerprint>@<instant>}, the fingerprint a SHA-256 prefix of the host copy's text (never the text).
 * Pure.
 */
final class MemberCheckSchedule {

    private final Duration interval;

    MemberCheckSchedule(Duration interval) {
        this.interval = interval;
    }

    boolean due(Optional<String> lastCheck, Optional<String> hostCopy, boolean renewed, Instant now) {
        if (renewed || lastCheck.isEmpty() || hostCopy.isEmpty()) {
            return true;
        }
        int at = lastCheck.get().indexOf('@');
        if (at < 0 || !lastCheck.get().substring(0, at).equals(fingerprint(hostCopy.get()))) {
            return true;
        }
        try {
            return RenewalPolicy.probeDue(Optional.of(Instant.parse(lastCheck.get().substring(at + 1))), interval,
                    now);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    static String record(String hostCopy, Instant at) {
        return fingerprint(hostCopy) + "@" + at;
    }

    static String fingerprint(String hostCopy) {
        return io.ackrotator.signing.Digests.sha256Hex(hostCopy.getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }
}
