package io.ackrotator.hygiene;

import io.ackrotator.ack.KubeconfigState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges one listed kubeconfig from what ACK says and the time alone. Pure. A field ACK left out makes the finding
 * {@code incomplete} and names the field; no flag is ever inferred from a missing value.
 */
public final class CredentialJudgement {

    private final Duration warnBefore;

    public CredentialJudgement(Duration warnBefore) {
        if (warnBefore.isNegative()) {
            throw new IllegalArgumentException("rotator.audit.warn-before must not be negative");
        }
        this.warnBefore = warnBefore;
    }

    public IdentityFinding judge(KubeconfigState state, Instant now, boolean function) {
        List<CredentialFlag> flags = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        state.accountType().ifPresentOrElse(t -> { }, () -> unknown.add("account_type"));
        state.accountState().ifPresentOrElse(t -> { }, () -> unknown.add("account_state"));
        if (state.certExpireTime().isEmpty()) {
            unknown.add("cert_expire_time");
        }
        Optional<Boolean> expired = expired(state, now);
        boolean works = expired.isPresent() && !expired.get();
        if (expired.orElse(false)) {
            flags.add(CredentialFlag.EXPIRED);
        }
        if (works && state.accountState().filter(s -> s.equals(KubeconfigState.DELETED)
                || s.equals(KubeconfigState.INACTIVE)).isPresent()) {
            flags.add(CredentialFlag.ORPHANED);
        }
        if (works && state.accountType().filter(KubeconfigState.ROOT_ACCOUNT::equals).isPresent()) {
            flags.add(CredentialFlag.ROOT_ACCOUNT);
        }
        boolean person = state.accountType().filter(t -> t.equals(KubeconfigState.RAM_USER)
                || t.equals(KubeconfigState.ROOT_ACCOUNT)).isPresent();
        if (works && person && state.certExpireTime().filter(expiry -> expiry.isBefore(now.plus(warnBefore)))
                .isPresent()) {
            flags.add(CredentialFlag.EXPIRING);
        }
        if (!unknown.isEmpty()) {
            flags.add(CredentialFlag.INCOMPLETE);
        }
        return new IdentityFinding(state.accountId(), state.accountName().orElse(null),
                state.accountType().orElse(null), state.accountState().orElse(null),
                state.certExpireTime().orElse(null), state.certState().orElse(null), state.revokable().orElse(null),
                function, List.copyOf(flags), List.copyOf(unknown));
    }

    /** By the expiry time when ACK gives one, else by {@code cert_state}; unknown when it gives neither. */
    private static Optional<Boolean> expired(KubeconfigState state, Instant now) {
        if (state.certExpireTime().isPresent()) {
            return Optional.of(!state.certExpireTime().get().isAfter(now));
        }
        return state.certState().filter(s -> s.equals(KubeconfigState.EXPIRED) || s.equals("Unexpired"))
                .map(KubeconfigState.EXPIRED::equals);
    }
}
