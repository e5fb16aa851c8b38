package io.ackrotator.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A revoke-and-recover of the stored credential in progress, recorded before ACK is called so that a crash or a
 * retry at any step finishes the job: {@code REVOKING} (ACK may or may not have revoked {@code serial} yet; revoking
 * again is harmless because nothing newer is stored), {@code REVOKED} (ACK did, at {@code revokedAt}; what is left
 * is fetching, verifying and storing the new kubeconfig). Cleared by the write of the new one.
 */
public record Revocation(Phase phase, String reason, Instant requestedAt, String serial, Optional<Instant> revokedAt) {

    public enum Phase {
        REVOKING, REVOKED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Phase> of(String value) {
            for (Phase phase : values()) {
                if (phase.wireName().equals(value)) {
                    return Optional.of(phase);
                }
            }
            return Optional.empty();
        }
    }

    public Revocation revoked(Instant at) {
        return new Revocation(Phase.REVOKED, reason, requestedAt, serial, Optional.of(at));
    }
}
