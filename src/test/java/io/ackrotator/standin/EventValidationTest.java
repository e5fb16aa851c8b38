package io.ackrotator.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link EventValidation} as Kubernetes' event validation states them (Source:
 * https://github.com/kubernetes/kubernetes pkg/apis/core/validation/events.go).
 */
class EventValidationTest {

    static EventBuilder event(String namespace, String regardingKind, String regardingNamespace) {
        return new EventBuilder().withNewMetadata().withName("e1").withNamespace(namespace).endMetadata()
                .withEventTime(new MicroTime("2026-12-01T08:00:00.000000Z"))
                .withReportingController("ack-kubeconfig-rotator.io/issue").withReportingInstance("rotator")
                .withAction("KubeconfigIssued").withReason("KubeconfigIssued").withType("Normal").withNote("n")
                .withNewRegarding().withApiVersion("v1").withKind(regardingKind).withNamespace(regardingNamespace)
                .withName("x").endRegarding();
    }

    @Test
    void anEventAboutAClusterScopedObjectLivesInDefaultOrKubeSystemOnly() {
        Event inStore = event("kubeconfig-rotator", "Namespace", null).build();
        assertEquals(List.of("involvedObject.namespace: Invalid value: \"\": does not match event.namespace "
                + "(kubeconfig-rotator)"), EventValidation.problems(inStore), "what the audit Events used to be");
        assertEquals(List.of(), EventValidation.problems(event("default", "Cluster", null).build()));
        assertEquals(List.of(), EventValidation.problems(event("kube-system", "Cluster", null).build()));
        assertEquals(List.of(), EventValidation.problems(event("kubeconfig-rotator", "ConfigMap",
                "kubeconfig-rotator").build()));
    }

    @Test
    void requiredFieldsAndLimits() {
        Event bare = event("default", "Cluster", null).withReportingController(null).withAction("")
                .withType("Info").withNote("x".repeat(1025)).withEventTime(null).build();
        List<String> problems = EventValidation.problems(bare);
        assertTrue(problems.contains("eventTime: Required value"), problems.toString());
        assertTrue(problems.contains("reportingController: Required value"), problems.toString());
        assertTrue(problems.contains("action: Required value"), problems.toString());
        assertTrue(problems.contains("type: Unsupported value: Info"), problems.toString());
        assertTrue(problems.contains("note: Too long: may not be more than 1024 bytes"), problems.toString());
    }
}
