package io.ackrotator.kubesphere;

import java.util.Optional;

/** The KubeSphere host as the re-sync needs it: which generation, and the jwtSecret members must share. */
record HostKubeSphere(KubeSphereVersion version, Optional<String> jwtSecret) {

    @Override
    public String toString() {
        return "HostKubeSphere[" + version + ", jwtSecret " + (jwtSecret.isPresent() ? "set" : "missing") + "]";
    }
}
