package io.ackrotator.issuance;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** The answer to {@code issue}. The kubeconfig is the caller's secret: {@link #toString()} hides it. */
@RegisterForReflection
public record TemporaryKubeconfig(String clusterId, String kubeconfig, Instant expiresAt, String subject,
        String serial, String access, long validityMinutes) {

    public TemporaryKubeconfig withKubeconfig(String text) {
        return new TemporaryKubeconfig(clusterId, text, expiresAt, subject, serial, access, validityMinutes);
    }

    @Override
    public String toString() {
        return "TemporaryKubeconfig[clusterId=" + clusterId + ", subject=" + subject + ", serial=" + serial
                + ", expiresAt=" + expiresAt + ", kubeconfig=<redacted>]";
    }
}
