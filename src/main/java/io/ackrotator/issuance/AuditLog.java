package io.ackrotator.issuance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ackrotator.host.HostEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes audit records: always to the {@code io.ackrotator.audit} log category as one JSON object per line, and as a
 * Kubernetes Event in the store namespace when a host cluster is at hand.
 */
public final class AuditLog {

    public static final String CATEGORY = "io.ackrotator.audit";
    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private AuditLog() {
    }

    public static String json(AuditRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void log(AuditRecord record) {
        LOG.info(json(record));
    }

    /** The log line always; the Event too when {@code events}, best effort (the log line stays the record). */
    public static void write(AuditRecord record, boolean events, java.util.function.Supplier<KubernetesClient> host,
            String namespace) {
        log(record);
        if (events) {
            try {
                event(host.get(), namespace, record.time(), record);
            } catch (RuntimeException e) {
                Logger.getLogger(AuditLog.class).debugf("no host cluster for audit Events: %s",
                        e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Best effort: an audit Event that can't be written leaves the log line as the record. It is about the caller's
     * quota ConfigMap, a namespaced object in the store namespace: Kubernetes accepts an Event in the namespace of
     * what it regards (an Event about a cluster-scoped object only in default or kube-system), and
     * {@code kubectl describe configmap ack-kubeconfig-rotator-quota-<caller>} then shows that caller's history.
     */
    public static void event(KubernetesClient client, String namespace, Instant at, AuditRecord record) {
        boolean issued = record.outcome().equals(AuditRecord.ISSUED);
        HostEvents.record(client, namespace, at, "issue", new HostEvents.Regarding("v1", "ConfigMap", namespace,
                CallerQuota.PREFIX + record.caller()),
                Map.of("ack-kubeconfig-rotator.io/audit", record.outcome()),
                issued ? "KubeconfigIssued" : "KubeconfigRefused", json(record), !issued);
    }
}
