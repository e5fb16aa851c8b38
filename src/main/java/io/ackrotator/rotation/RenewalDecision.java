package io.ackrotator.rotation;

import io.ackrotator.kubeconfig.Kubeconfig;
import java.util.Optional;

/** The outcome of {@link RenewalPolicy}: the state, whether to renew, and a sentence saying why. */
public record RenewalDecision(CertificateState state, boolean renew, String message, Optional<Kubeconfig> current) {
}
