package io.ackrotator.standin;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a real API server checks when an events.k8s.io/v1 Event is created, which the fabric8 CRUD mock does not:
 * the function's Events must pass these to be written at all.
 *
 * <p>Source: kubernetes/kubernetes {@code pkg/apis/core/validation/events.go} (commit 04791b4906602ffda5ccf9bc4c84d3329f1d7080),
 * {@code ValidateEventCreate} and {@code legacyValidateEvent}; events/v1's {@code regarding} and {@code note} map to
 * core's {@code involvedObject} and {@code message} ({@code pkg/apis/events/v1/conversion.go}). With {@code eventTime}
 * set: an Event about a cluster-scoped object (empty {@code regarding.namespace}) must be in {@code default} or
 * {@code kube-system}; {@code reportingController} (a qualified name) and {@code reportingInstance} (at most 128) are
 * required; {@code action} and {@code reason} are required, at most 128 each; the note at most 1024; {@code type}
 * Normal or Warning; the deprecated series fields unset.
 */
public final class EventValidation {

    private static final Pattern QUALIFIED_NAME = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private EventValidation() {
    }

    public static List<String> problems(Event event) {
        List<String> problems = new ArrayList<>();
        String namespace = event.getMetadata().getNamespace();
        ObjectReference regarding = event.getRegarding();
        if (event.getEventTime() == null) {
            problems.add("eventTime: Required value");
        }
        if (regarding == null || regarding.getNamespace() == null || regarding.getNamespace().isEmpty()) {
            if (!"default".equals(namespace) && !"kube-system".equals(namespace)) {
                problems.add("involvedObject.namespace: Invalid value: \"\": does not match event.namespace ("
                        + namespace + ")");
            }
        }
        String controller = event.getReportingController();
        if (controller == null || controller.isEmpty()) {
            problems.add("reportingController: Required value");
        } else if (!QUALIFIED_NAME.matcher(controller).matches() || controller.length() > 316) {
            problems.add("reportingController: Invalid value: " + controller);
        }
        requiredUpTo(problems, "reportingInstance", event.getReportingInstance(), 128);
        requiredUpTo(problems, "action", event.getAction(), 128);
        requiredUpTo(problems, "reason", event.getReason(), 128);
        if (event.getNote() != null && event.getNote().length() > 1024) {
            problems.add("note: Too long: may not be more than 1024 bytes");
        }
        if (!"Normal".equals(event.getType()) && !"Warning".equals(event.getType())) {
            problems.add("type: Unsupported value: " + event.getType());
        }
        if (event.getDeprecatedCount() != null || event.getDeprecatedSource() != null
                || event.getDeprecatedFirstTimestamp() != null || event.getDeprecatedLastTimestamp() != null) {
            problems.add("deprecated fields must not be set");
        }
        return problems;
    }

    private static void requiredUpTo(List<String> problems, String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            problems.add(field + ": Required value");
        } else if (value.length() > max) {
            problems.add(field + ": Too long: may not be more than " + max + " bytes");
        }
    }

    /** Every Event on the (mock) host would have been accepted by a real API server. */
    public static void assertAllAccepted(KubernetesClient client) {
        List<String> refused = new ArrayList<>();
        for (Event event : client.events().v1().events().inAnyNamespace().list().getItems()) {
            List<String> problems = problems(event);
            if (!problems.isEmpty()) {
                refused.add(event.getMetadata().getNamespace() + "/" + event.getMetadata().getName() + " ("
                        + event.getReason() + "): " + problems);
            }
        }
        if (!refused.isEmpty()) {
            throw new AssertionError("a real API server would refuse these Events: " + refused);
        }
    }
}
