package io.ackrotator.host;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events (events.k8s.io/v1) on the host cluster, best effort: an Event that can't be written never fails
 * the work it reports on (the caller notes it in its result); the structured log line stays the record.
 */
public final class HostEvents {

    private static final Logger LOG = Logger.getLogger(HostEvents.class);
    private static final int MAX_NOTE = 1000;

    /** What an Event is about. {@code namespace} is null for cluster-scoped objects. */
    public record Regarding(String apiVersion, String kind, String namespace, String name) {
        ObjectReference reference() {
            return new ObjectReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withNamespace(namespace)
                    .withName(name).build();
        }
    }

    private HostEvents() {
    }

    public static boolean record(KubernetesClient client, String namespace, Instant at, String controller,
            Regarding regarding, Map<String, String> labels, String reason, String note, boolean warning) {
        try {
            ApiAnswers.object(client.resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(regarding.name() + "." + UUID.randomUUID().toString().substring(0, 8))
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .endMetadata()
                    .withEventTime(new MicroTime(at.toString()))
                    .withReportingController("ack-kubeconfig-rotator.io/" + controller)
                    .withReportingInstance("ack-kubeconfig-rotator")
                    .withAction(reason)
                    .withReason(reason)
                    .withType(warning ? "Warning" : "Normal")
                    .withNote(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE) : note)
                    .withRegarding(regarding.reference())
                    .build()).inNamespace(namespace).create(), "the Event create");
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Event %s about %s %s not written: %s", reason, regarding.kind(), regarding.name(),
                    e instanceof KubernetesClientException k ? ApiAnswers.describe(k) : e.getClass().getSimpleName());
            return false;
        }
    }
}
