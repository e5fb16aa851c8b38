package io.ackrotator.rotation;

import io.ackrotator.store.Rejection;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.kubeconfig.KubeconfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from a stored kubeconfig and the time alone, whether it must be renewed. Pure: no I/O, no clock of its own.
 * The checks run in order and the first that applies decides:
 * <ol>
 * <li>{@code KubeconfigMissing}: nothing stored, fetch the first one;</li>
 * <li>{@code KubeconfigUnreadable}: what is stored can't be used, replace it;</li>
 * <li>{@code CertificateExpired}: past notAfter, renew at once;</li>
 * <li>{@code CertificateNearingExpiry}: less than renew-before remains.</li>
 * </ol>
 */
public final class RenewalPolicy {

    /** ACK's own window: it issues a new long-term certificate only this close to expiry. */
    public static final Duration ACK_RENEWAL_WINDOW = Duration.ofDays(180);

    private interface Check {
        Optional<RenewalDecision> apply(Optional<String> stored, Optional<Kubeconfig> parsed, Instant now);
    }

    private final Duration renewBefore;
    private final List<Check> checks;

    public RenewalPolicy(Duration renewBefore) {
        this.renewBefore = validated(renewBefore);
        this.checks = List.of(this::kubeconfigMissing, this::kubeconfigUnreadable, this::authorityExpired,
                this::certificateExpired,
                this::certificateNearingExpiry);
    }

    /** Refuses a window ACK would never honour, with a message for the operator. */
    public static Duration validated(Duration renewBefore) {
        if (renewBefore.isNegative() || renewBefore.isZero()) {
            throw new IllegalArgumentException("rotator.renew-before must be positive, got " + renewBefore);
        }
        if (renewBefore.compareTo(ACK_RENEWAL_WINDOW) > 0) {
            throw new IllegalArgumentException("rotator.renew-before is " + renewBefore + " but ACK issues a new "
                    + "long-term kubeconfig only within 180 days (P180D) of expiry; use P180D or less");
        }
        return renewBefore;
    }

    public Duration renewBefore() {
        return renewBefore;
    }

    public RenewalDecision evaluate(Optional<String> storedKubeconfig, Instant now) {
        Optional<Kubeconfig> parsed = storedKubeconfig.filter(text -> !text.isBlank()).flatMap(Kubeconfig::tryParse);
        for (Check check : checks) {
            Optional<RenewalDecision> decision = check.apply(storedKubeconfig, parsed, now);
            if (decision.isPresent()) {
                return decision.get();
            }
        }
        Kubeconfig current = parsed.orElseThrow();
        return new RenewalDecision(CertificateState.OK, false, okMessage(current.notAfter(), now), parsed);
    }

    /**
     * As {@link #evaluate(Optional, Instant)}, then: a stored certificate its API server refused (recorded with its
     * serial) is {@code REJECTED} and renewed at once, whatever its dates; a revocation in progress is
     * {@code REVOKING}.
     */
    public RenewalDecision evaluate(Optional<String> storedKubeconfig, Optional<Rejection> rejection,
            boolean revoking, Instant now) {
        RenewalDecision decision = evaluate(storedKubeconfig, now);
        if (revoking && decision.current().isPresent()) {
            return new RenewalDecision(CertificateState.REVOKING, true, "a revocation of the stored credential is "
                    + "in progress; the sweep finishes it", decision.current());
        }
        Optional<Kubeconfig> current = decision.current();
        if (rejection.isPresent() && current.isPresent()
                && rejection.get().serial().equals(current.get().identity().serial())
                && decision.state() != CertificateState.UNREADABLE) {
            return new RenewalDecision(CertificateState.REJECTED, true, "the API server refused the stored "
                    + "certificate (serial " + rejection.get().serial() + ") at " + rejection.get().at() + ": "
                    + rejection.get().reason(), current);
        }
        return decision;
    }

    /**
     * Whether the stored kubeconfig is due to be proven against its API server again: once {@code interval} has
     * passed, less a 1/24 margin, so a daily sweep whose start drifts by seconds still proves daily, not every other
     * day. A zero interval proves at every sweep.
     */
    public static boolean probeDue(Optional<Instant> probedAt, Duration interval, Instant now) {
        Duration margin = interval.dividedBy(24);
        return probedAt.map(at -> !now.isBefore(at.plus(interval).minus(margin))).orElse(true);
    }

    private Optional<RenewalDecision> kubeconfigMissing(Optional<String> stored, Optional<Kubeconfig> parsed,
            Instant now) {
        return stored.filter(text -> !text.isBlank()).isPresent() ? Optional.empty()
                : Optional.of(new RenewalDecision(CertificateState.MISSING, true, "no kubeconfig stored",
                        Optional.empty()));
    }

    private Optional<RenewalDecision> kubeconfigUnreadable(Optional<String> stored, Optional<Kubeconfig> parsed,
            Instant now) {
        if (parsed.isPresent()) {
            return Optional.empty();
        }
        String why;
        try {
            Kubeconfig.parse(stored.orElseThrow());
            why = "stored kubeconfig is unreadable";
        } catch (KubeconfigException e) {
            why = "stored kubeconfig is unreadable: " + e.getMessage();
        }
        return Optional.of(new RenewalDecision(CertificateState.UNREADABLE, true, why, Optional.empty()));
    }

    /** A kubeconfig whose CA has expired can't verify its API server: as unusable as one that doesn't parse. */
    private Optional<RenewalDecision> authorityExpired(Optional<String> stored, Optional<Kubeconfig> parsed,
            Instant now) {
        return parsed.orElseThrow().certificateAuthorities().stream()
                .map(ca -> ca.getNotAfter().toInstant())
                .filter(notAfter -> notAfter.isBefore(now))
                .findFirst()
                .map(notAfter -> new RenewalDecision(CertificateState.UNREADABLE, true, "stored kubeconfig is "
                        + "unusable: kubeconfig field 'clusters[0].cluster.certificate-authority-data': CA certificate "
                        + "expired " + notAfter, Optional.empty()));
    }

    private Optional<RenewalDecision> certificateExpired(Optional<String> stored, Optional<Kubeconfig> parsed,
            Instant now) {
        Kubeconfig current = parsed.orElseThrow();
        return current.identity().isExpiredAt(now)
                ? Optional.of(new RenewalDecision(CertificateState.EXPIRED, true, "certificate expired "
                        + current.notAfter(), parsed))
                : Optional.empty();
    }

    private Optional<RenewalDecision> certificateNearingExpiry(Optional<String> stored, Optional<Kubeconfig> parsed,
            Instant now) {
        Kubeconfig current = parsed.orElseThrow();
        return current.identity().remainingAt(now).compareTo(renewBefore) < 0
                ? Optional.of(new RenewalDecision(CertificateState.DUE, true, "certificate expires "
                        + current.notAfter() + ", " + daysLeft(current, now) + " days left (renew-before "
                        + renewBefore.toDays() + " days)", parsed))
                : Optional.empty();
    }

    /**
     * From trusted facts alone, for a plainly healthy entry (not due, no authority expired): the decision the full
     * evaluation would make. Empty when anything needs the full evaluation.
     */
    public Optional<RenewalDecision> quiet(io.ackrotator.store.StoredFacts facts, Instant now) {
        if (!now.isBefore(facts.authoritiesNotAfter()) || !now.isBefore(facts.notAfter().minus(renewBefore))) {
            return Optional.empty();
        }
        return Optional.of(new RenewalDecision(CertificateState.OK, false, okMessage(facts.notAfter(), now),
                Optional.empty()));
    }

    /** What a healthy certificate's decision says: one wording whether it was decided from the data or the facts. */
    private String okMessage(Instant notAfter, Instant now) {
        return "certificate expires " + notAfter + ", " + Duration.between(now, notAfter).toDays()
                + " days left; renews from " + notAfter.minus(renewBefore);
    }

    static long daysLeft(Kubeconfig kubeconfig, Instant now) {
        return Duration.between(now, kubeconfig.notAfter()).toDays();
    }

}
