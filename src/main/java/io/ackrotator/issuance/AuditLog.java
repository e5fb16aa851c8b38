package io.ackrotator.issuance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;
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
        try {
            String name = "issue-" + UUID.randomUUID().toString().substring(0, 13);
            client.resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels("ack-kubeconfig-rotator.io/audit", record.outcome()).endMetadata()
                    .withEventTime(new MicroTime(record.time().toString()))
                    .withReportingController("ack-kubeconfig-rotator.io/issue")
                    .withReportingInstance("ack-kubeconfig-rotator")
                    .withAction(record.outcome().equals(AuditRecord.ISSUED) ? "Issue" : "Refuse")
                    .withReason(record.outcome().equals(AuditRecord.ISSUED) ? "KubeconfigIssued" : "KubeconfigRefused")
                    .withType(record.outcome().equals(AuditRecord.ISSUED) ? "Normal" : "Warning")
                    .withNote(json(record))
                    .withRegarding(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Namespace")
                            .withName(namespace).build())
                    .build()).inNamespace(namespace).create();
        } catch (RuntimeException e) {
            LOG.debugf("audit Event not written: %s", e.getClass().getSimpleName());
        }
    }
}
