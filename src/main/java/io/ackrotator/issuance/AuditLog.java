package io.ackrotator.issuance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ackrotator.host.HostEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
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

    /** Best effort: an audit Event that can't be written leaves the log line as the record. */
    public static void event(KubernetesClient client, String namespace, AuditRecord record) {
        boolean issued = record.outcome().equals(AuditRecord.ISSUED);
        HostEvents.record(client, namespace, "issue", new HostEvents.Regarding("v1", "Namespace", null, namespace),
                Map.of("ack-kubeconfig-rotator.io/audit", record.outcome()),
                issued ? "KubeconfigIssued" : "KubeconfigRefused", json(record), !issued);
    }
}
