package io.ackrotator.store;

import io.ackrotator.ack.ClusterId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where kubeconfigs live. Writes are conditional on the version read ({@link StoreConflictException} otherwise), so
 * two writers can't silently overwrite each other. Implementations never log or echo kubeconfig content.
 */
public interface KubeconfigStore {

    /** The IDs of every stored cluster, without holding every kubeconfig in memory at once. */
    List<ClusterId> listIds();

    List<StoredKubeconfig> list();

    /** Every stored cluster's ID and, when its annotations can be trusted, its {@link StoredFacts}; paged. */
    java.util.Map<ClusterId, Optional<StoredFacts>> listFacts();

    /** Where each stored cluster of another account or region lives; the home account's in ack.region are not listed. */
    java.util.Map<ClusterId, io.ackrotator.ack.FleetScope> placements();

    Optional<StoredKubeconfig> get(ClusterId clusterId);

    /** First kubeconfig of a cluster; conflicts if one appeared meanwhile. */
    StoredKubeconfig create(ClusterId clusterId, StoreUpdate update);

    /** Replaces {@code current}; conflicts if the stored version is no longer {@code current.version()}. */
    StoredKubeconfig replace(StoredKubeconfig current, StoreUpdate update);

    /** Best effort: notes the last failure on the entry (shown by {@code status}); a conflict is ignored. */
    void recordError(StoredKubeconfig current, String message, Instant at);

    /** Best effort: a Kubernetes Event (or the store's equivalent) about the cluster's entry; false if not written. */
    boolean recordEvent(ClusterId clusterId, Instant at, String reason, String message, boolean warning);

    /** Best effort: the stored certificate was accepted by its API server at {@code at}; a conflict is ignored. */
    void recordProbe(StoredKubeconfig current, Instant at);

    /** Best effort: its API server refused the stored certificate; shown by {@code status}, replaced by the sweep. */
    void recordRejection(StoredKubeconfig current, Rejection rejection);

    /** Records (or advances) a revocation in progress; conditional on {@code current}'s version, never best effort. */
    StoredKubeconfig recordRevocation(StoredKubeconfig current, Revocation revocation);
}
