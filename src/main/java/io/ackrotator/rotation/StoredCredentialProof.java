package io.ackrotator.rotation;

import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.Rejection;
import io.ackrotator.store.StoredKubeconfig;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Proves a stored kubeconfig against its API server and records the outcome in the store: accepted (when), or
 * refused (the certificate revoked behind the function's back, or the cluster's CA rotated), which makes it
 * {@code rejected} whatever its dates. A server that can't be reached proves nothing either way and changes nothing.
 */
final class StoredCredentialProof {

    private static final Logger LOG = Logger.getLogger("io.ackrotator.rotation");

    private final KubeconfigStore store;
    private final ApiServerProbe probe;

    StoredCredentialProof(KubeconfigStore store, ApiServerProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    /** The rejection, recorded; empty when the server accepted the certificate or could not be asked. */
    Optional<Rejection> prove(StoredKubeconfig stored, Kubeconfig current, boolean allowInsecure, Instant now) {
        try {
            probe.probe(current, allowInsecure);
            store.recordProbe(stored, now);
            return Optional.empty();
        } catch (ApiServerException e) {
            if (e.kind() != ApiServerException.Kind.UNAUTHORIZED && e.kind() != ApiServerException.Kind.TLS_UNTRUSTED) {
                LOG.debugf("cluster %s: the stored kubeconfig could not be proven: %s", stored.clusterId(),
                        e.getMessage());
                return Optional.empty();
            }
            Rejection rejection = new Rejection(current.identity().serial(), now, e.getMessage());
            store.recordRejection(stored, rejection);
            LOG.warnf("cluster %s: the API server refuses the stored certificate (serial %s): %s",
                    stored.clusterId(), rejection.serial(), e.getMessage());
            return Optional.of(rejection);
        }
    }
}
