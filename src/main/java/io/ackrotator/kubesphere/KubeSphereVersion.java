package io.ackrotator.kubesphere;

import java.util.Optional;

/**
 * The KubeSphere generations whose layouts differ where the re-sync looks. 3.x keeps the jwtSecret at
 * {@code authentication.jwtSecret} of {@code kubesphere.yaml} and renders it from the member's {@code ks-installer}
 * ClusterConfiguration (ks-installer release-3.4, roles/ks-core/config/templates/kubesphere-config.yaml.j2); 4.x keeps
 * it at {@code authentication.issuer.jwtSecret} (kubesphere release-4.1, pkg/apiserver/authentication/options.go
 * {@code Issuer} and oauth/options.go {@code JWTSecret}) and has no ks-installer: the host installs ks-core on members
 * with Helm.
 */
public enum KubeSphereVersion {
    V3, V4;

    /** From a version string such as KubeSphere writes into the host Cluster's {@code status.kubeSphereVersion}. */
    static Optional<KubeSphereVersion> of(String version) {
        if (version == null) {
            return Optional.empty();
        }
        String bare = version.startsWith("v") ? version.substring(1) : version;
        if (bare.startsWith("3.")) {
            return Optional.of(V3);
        }
        if (bare.startsWith("4.")) {
            return Optional.of(V4);
        }
        return Optional.empty();
    }
}
