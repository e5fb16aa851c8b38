package io.ackrotator.kubesphere;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerIdentity;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.StoreConflictException;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Re-syncs one member: puts the stored kubeconfig into the host's Cluster when the host's copy is older (after proving
 * it reaches the same cluster), repairs jwtSecret and cluster-role drift on the member, and proves connectivity with
 * the kubeconfig the Cluster now holds. Never skips TLS verification to get there.
 */
class MemberSync {

    private static final Logger LOG = Logger.getLogger("io.ackrotator.kubesphere");

    private final KubeSphereHostAccess host;
    private final KubeconfigStore store;
    private final ApiServerProbe probe;
    private final MemberKubeSphere kubesphere;
    private final HostKubeSphere hostKubeSphere;
    private final Predicate<ClusterId> insecureTlsAllowed;

    MemberSync(KubeSphereHostAccess host, KubeconfigStore store, ApiServerProbe probe, HostKubeSphere hostKubeSphere,
            Predicate<ClusterId> insecureTlsAllowed) {
        this.host = host;
        this.store = store;
        this.probe = probe;
        this.kubesphere = new MemberKubeSphere(probe);
        this.hostKubeSphere = hostKubeSphere;
        this.insecureTlsAllowed = insecureTlsAllowed;
    }

    SyncResult sync(MemberCluster member, boolean dryRun) {
        long started = System.nanoTime();
        SyncResult result;
        try {
            result = syncChecked(member, dryRun);
        } catch (KubeSphereHostAccess.ClusterUpdateRefusedException e) {
            result = failed(member, List.of(), null, e.getMessage());
        } catch (KubernetesClientException e) {
            result = failed(member, List.of(), null, "host API call failed (" + ApiAnswers.describe(e) + ")");
        } catch (StoreConflictException e) {
            result = failed(member, List.of(), null, e.getMessage() + "; run the re-sync again");
        } catch (RuntimeException e) {
            // one member's surprise (a Cluster object of an unexpected shape, say) never stops the others
            result = failed(member, List.of(), null, "unexpected " + e.getClass().getSimpleName()
                    + "; the Cluster was left as it is");
        }
        io.ackrotator.metrics.Recorded.resync(result.outcome());
        LOG.infof("resync cluster=%s clusterId=%s outcome=%s actions=%s connectivity=\"%s\" durationMs=%d "
                + "message=\"%s\"", member.name(), result.clusterId(), result.outcome(), result.actions(),
                result.connectivity(), (System.nanoTime() - started) / 1_000_000, result.message());
        if (!dryRun && result.outcome().equals(SyncResult.FAILED)
                && !host.event(member, "SyncFailed", result.message(), true)) {
            return result.withNote("Event SyncFailed not written");
        }
        return result;
    }

    private SyncResult syncChecked(MemberCluster member, boolean dryRun) {
        if (member.malformed().isPresent()) {
            return failed(member, List.of(), null, "the Cluster object is malformed (" + member.malformed().get()
                    + "); left as it is");
        }
        if (member.isHost()) {
            return skipped(member, "host cluster: not a member");
        }
        if (!member.direct()) {
            return skipped(member, member.connectionType() + "-mode member: its agent connects to the host; there "
                    + "is no kubeconfig to re-sync");
        }
        Optional<ClusterId> clusterId = KubeSphereHostAccess.clusterIdOf(member);
        if (clusterId.isEmpty()) {
            return skipped(member, "not mapped to an ACK cluster (label " + KubeSphereHostAccess.CLUSTER_ID_LABEL
                    + " or rotator.kubesphere.members." + member.name() + ")");
        }
        boolean allowInsecure = insecureTlsAllowed.test(clusterId.get());
        List<String> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<Kubeconfig> hostCopy = member.hostCopy().flatMap(Kubeconfig::tryParse);
        Optional<Kubeconfig> stored = store.get(clusterId.get()).map(StoredKubeconfig::kubeconfig)
                .flatMap(Kubeconfig::tryParse);
        Optional<Kubeconfig> inCluster = hostCopy;
        boolean hostCopyStale = stored.isPresent() && (newer(stored.get(), hostCopy)
                || refusedByMember(stored.get(), hostCopy.get(), allowInsecure));

        if (hostCopyStale) {
            ApiServerIdentity seen;
            try {
                seen = probe.probe(stored.get(), allowInsecure);
            } catch (ApiServerException e) {
                return failed(member, actions, "failed: " + e.getMessage(), "stored kubeconfig failed "
                        + "verification: " + e.getMessage() + "; host copy left as it is");
            }
            if (member.statusUid().isPresent() && !member.statusUid().get().equals(seen.kubeSystemUid())) {
                return failed(member, actions, null, "stored kubeconfig reaches another cluster (kube-system UID "
                        + seen.kubeSystemUid() + ", Cluster status.uid " + member.statusUid().get()
                        + "); host copy left as it is");
            }
            if (dryRun) {
                actions.add("kubeconfig-stale");
            } else {
                host.writeKubeconfig(member, stored.get());
                actions.add("kubeconfig-updated");
                event(member, "KubeconfigSynced", "kubeconfig updated: certificate serial "
                        + stored.get().identity().serial() + " expires " + stored.get().notAfter(), notes);
                inCluster = stored;
            }
        } else if (hostCopy.isEmpty()) {
            return failed(member, actions, null, stored.isEmpty() ? "no usable kubeconfig in the store or the Cluster"
                    : "the Cluster's kubeconfig is unusable and the stored one is not newer");
        } else if (stored.isPresent() && !stored.get().identity().sameCertificateAs(hostCopy.get().identity())) {
            // KubeSphere 4.x renews a member's kubeconfig itself in its last 7 days (a CSR on the member): a second
            // writer. A newer certificate than the stored one is never overwritten with an older one.
            notes.add("the Cluster holds another, newer certificate (" + hostCopy.get().identity().subject()
                    + ", expires " + hostCopy.get().notAfter() + ") written by " + host.lastWriterOfKubeconfig(member)
                    + "; left as it is");
        } else if (!dryRun && !member.kubernetesApiEndpoint().equals(Optional.of(hostCopy.get().server().toString()))) {
            host.writeKubeconfig(member, hostCopy.get());
            actions.add("endpoint-updated");
        }
        Kubeconfig effective = dryRun && hostCopyStale ? stored.get() : inCluster.orElseThrow();

        String connectivity = checkMember(member, effective, dryRun, allowInsecure, actions, notes);
        if (dryRun && hostCopyStale && inCluster.isPresent()) {
            connectivity = connectivity(inCluster.get(), allowInsecure); // what the Cluster holds now
        }
        boolean ok = connectivity.equals("ok");
        String message = (actions.isEmpty() ? "in sync" : String.join(", ", actions))
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                + (ok ? "" : "; " + connectivity);
        return new SyncResult(member.name(), clusterId.get().value(), ok ? SyncResult.SYNCED : SyncResult.FAILED,
                actions, connectivity, message);
    }

    /**
     * Proves the kubeconfig against the member and, in the same TLS connection, reads its kubesphere-config; repairs
     * jwtSecret and cluster-role drift (a client is built only then). Answers the connectivity: "ok" or why not.
     */
    private String checkMember(MemberCluster member, Kubeconfig kubeconfig, boolean dryRun, boolean allowInsecure,
            List<String> actions, List<String> notes) {
        if (hostKubeSphere.jwtSecret().isEmpty()) {
            notes.add("host jwtSecret not found in kubesphere-system/kubesphere-config: member not checked");
            return connectivity(kubeconfig, allowInsecure);
        }
        MemberKubeSphere.Inspection inspection;
        try {
            inspection = kubesphere.inspect(kubeconfig, hostKubeSphere, allowInsecure);
        } catch (ApiServerException e) {
            notes.add("member's kubesphere-config not checked: " + e.getMessage());
            return "failed: " + e.getMessage();
        }
        if (inspection.readFailure() != null) {
            notes.add("member's kubesphere-config not checked: " + inspection.readFailure().getMessage());
            return "ok";
        }
        MemberKubeSphere.Drift drift = inspection.drift();
        if (!drift.present()) {
            notes.add("no KubeSphere on the member (kubesphere-system/kubesphere-config missing): jwtSecret and "
                    + "cluster role not checked");
            return "ok";
        }
        if (!dryRun && drift.any()) {
            try {
                drift = kubesphere.repair(kubeconfig, hostKubeSphere, allowInsecure);
            } catch (ApiServerException e) {
                notes.add("member's kubesphere-config not updated: " + e.getMessage());
                return "ok";
            } catch (KubernetesClientException e) {
                notes.add("member's kubesphere-config not updated (" + ApiAnswers.describe(e) + ")");
                return "ok";
            }
            if (drift.any() && hostKubeSphere.version() == KubeSphereVersion.V4) {
                notes.add("ks-apiserver on the member reads kubesphere-config when it starts: restart it "
                        + "(kubectl -n kubesphere-system rollout restart deploy/ks-apiserver)");
            }
        }
        if (drift.jwtSecretDiffers()) {
            actions.add(dryRun ? "jwtsecret-differs" : "jwtsecret-fixed");
            if (!dryRun) {
                event(member, "JwtSecretFixed", "member jwtSecret set to the host's", notes);
            }
        }
        if (drift.roleDiffers()) {
            actions.add(dryRun ? "member-role-differs" : "member-role-fixed");
            if (!dryRun) {
                event(member, "MemberRoleFixed", "multicluster.clusterRole was " + drift.role() + "; set to member",
                        notes);
            }
        }
        return "ok";
    }

    private String connectivity(Kubeconfig kubeconfig, boolean allowInsecure) {
        try {
            probe.probe(kubeconfig, allowInsecure);
            return "ok";
        } catch (ApiServerException e) {
            return "failed: " + e.getMessage();
        }
    }

    private void event(MemberCluster member, String reason, String message, List<String> notes) {
        if (!host.event(member, reason, message, false)) {
            notes.add("Event " + reason + " not written");
        }
    }

    /**
     * The host's copy is another certificate than the stored one, no newer, and its member refuses it (revoked, as
     * by POST /revoke, whose new certificate may expire in the same second as the one it replaced): a copy that
     * can't work is no other writer's to keep.
     */
    private boolean refusedByMember(Kubeconfig stored, Kubeconfig hostCopy, boolean allowInsecure) {
        if (stored.identity().sameCertificateAs(hostCopy.identity())) {
            return false;
        }
        try {
            probe.probe(hostCopy, allowInsecure);
            return false;
        } catch (ApiServerException e) {
            return e.kind() == ApiServerException.Kind.UNAUTHORIZED;
        }
    }

    /** The stored certificate is another one and outlives the host's copy (or the host has none). */
    static boolean newer(Kubeconfig stored, Optional<Kubeconfig> hostCopy) {
        return hostCopy.isEmpty() || (!stored.identity().sameCertificateAs(hostCopy.get().identity())
                && stored.notAfter().isAfter(hostCopy.get().notAfter()));
    }

    private static SyncResult skipped(MemberCluster member, String why) {
        return new SyncResult(member.name(), member.clusterId().orElse(null), SyncResult.SKIPPED, List.of(), null, why);
    }

    private static SyncResult failed(MemberCluster member, List<String> actions, String connectivity, String why) {
        return new SyncResult(member.name(), member.clusterId().orElse(null), SyncResult.FAILED, actions, connectivity,
                why);
    }

}
