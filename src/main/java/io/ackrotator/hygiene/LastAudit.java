package io.ackrotator.hygiene;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last fleet audit's flags, kept in the host cluster (ConfigMap {@value #NAME} in the store namespace) so the
 * status page and any FC instance show them without calling ACK again. Only flagged identities are kept, at most
 * {@value #MAX_FINDINGS} (a ConfigMap holds 1 MiB); the counts are always complete.
 */
public final class LastAudit {

    public static final String NAME = "ack-kubeconfig-rotator-audit";
    static final int MAX_FINDINGS = 500;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String namespace;

    public LastAudit(String namespace) {
        this.namespace = namespace;
    }

    /** What is kept: the report with unflagged identities left out. */
    static FleetAuditReport digest(FleetAuditReport report) {
        List<ClusterAudit> clusters = new ArrayList<>();
        int kept = 0;
        for (ClusterAudit cluster : report.results()) {
            List<IdentityFinding> flagged = cluster.identities() == null ? null : new ArrayList<>();
            if (cluster.identities() != null) {
                for (IdentityFinding finding : cluster.identities()) {
                    if (!finding.flags().isEmpty() && kept < MAX_FINDINGS) {
                        flagged.add(finding);
                        kept++;
                    }
                }
            }
            clusters.add(new ClusterAudit(cluster.clusterId(), cluster.outcome(), cluster.error(), cluster.summary(),
                    flagged, cluster.bindings(), cluster.rbacError()));
        }
        return new FleetAuditReport(report.auditedAt(), report.clusters(), report.failedClusters(), report.summary(),
                clusters, report.warnings());
    }

    /** Replaces the kept audit; a failure is said, never thrown (the audit itself has its answer). */
    public Optional<String> save(KubernetesClient client, FleetAuditReport report) {
        try {
            String body = JSON.writeValueAsString(digest(report));
            ConfigMap current = ApiAnswers.object(client.configMaps().inNamespace(namespace).withName(NAME).get(),
                    "the last audit read");
            ConfigMap next = new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                    .withResourceVersion(current == null ? null : current.getMetadata().getResourceVersion())
                    .addToLabels(SecretKubeconfigStore.MANAGED_BY_LABEL, SecretKubeconfigStore.MANAGED_BY)
                    .endMetadata().addToData("report.json", body).build();
            if (current == null) {
                client.resource(next).inNamespace(namespace).create();
            } else {
                client.resource(next).inNamespace(namespace).update();
            }
            return Optional.empty();
        } catch (JsonProcessingException | KubernetesClientException e) {
            return Optional.of("the audit's flags were not kept for the status page: "
                    + (e instanceof KubernetesClientException k ? ApiAnswers.describe(k) : "not serialisable"));
        }
    }

    /** The kept audit, if there is one and it reads. */
    public Optional<FleetAuditReport> read(KubernetesClient client) {
        try {
            ConfigMap current = client.configMaps().inNamespace(namespace).withName(NAME).get();
            String body = current == null || current.getData() == null ? null : current.getData().get("report.json");
            return body == null ? Optional.empty() : Optional.of(JSON.readValue(body, FleetAuditReport.class));
        } catch (JsonProcessingException | KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
