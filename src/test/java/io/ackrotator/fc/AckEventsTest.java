package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event shapes ACK and EventBridge really send (src/test/resources/events, sources in SOURCES.md there): a new
 * cluster is adopted, everything else is acknowledged with a reason.
 */
class AckEventsTest {

    static final String CLUSTER = "c82e6987e2961451182edacd74faf0001";
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = AckEventsTest.class.getResourceAsStream("/events/" + name)) {
            return JSON.readTree(new String(in.readAllBytes()).replace("CLUSTER_ID", CLUSTER));
        }
    }

    @Test
    void aCreateClusterApiCallAdoptsTheNewCluster() throws IOException {
        FcEvent event = FcEvent.parse(fixture("ack-createcluster-assembled.json"));

        assertEquals("adopt", event.action().orElseThrow().name());
        assertEquals(CLUSTER, event.action().orElseThrow().clusterIds().get(0).value());
    }

    @Test
    void aRegisteredClusterFromTheConsoleIsAdoptedFromItsReferencedResources() throws IOException {
        FcEvent event = FcEvent.parse(fixture("ack-registercluster-assembled.json"));

        assertEquals("adopt", event.action().orElseThrow().name());
        assertEquals(CLUSTER, event.action().orElseThrow().clusterIds().get(0).value());
    }

    @Test
    void theClusterIdIsFoundInResourceNameToo() throws IOException {
        ObjectNode event = (ObjectNode) fixture("ack-createcluster-assembled.json");
        ObjectNode data = (ObjectNode) event.get("data");
        data.remove("responseElements");
        data.remove("referencedResources");
        data.put("resourceName", "vpc-abc,vsw-def;" + CLUSTER);

        assertEquals(CLUSTER, FcEvent.parse(event).action().orElseThrow().clusterIds().get(0).value());
    }

    @Test
    void otherEventsAreIgnoredWithTheirReason() throws IOException {
        assertEquals("events from acs:aliyuncvc are not handled",
                FcEvent.parse(fixture("eventbridge-envelope-documented.json")).ignored().orElseThrow());
        assertTrue(FcEvent.parse(fixture("ack-pod-event-assembled.json")).ignored().orElseThrow()
                .startsWith("ACK event type cs:k8s:PodRelatedEvent (a Kubernetes event inside a cluster)"));

        ObjectNode deleted = (ObjectNode) fixture("ack-createcluster-assembled.json");
        ((ObjectNode) deleted.get("data")).put("eventName", "DeleteCluster");
        assertEquals("ACK API call DeleteCluster needs no action", FcEvent.parse(deleted).ignored().orElseThrow());

        ObjectNode failed = (ObjectNode) fixture("ack-createcluster-assembled.json");
        ((ObjectNode) failed.get("data")).put("errorCode", "QuotaExceeded.Cluster");
        assertEquals("CreateCluster failed (QuotaExceeded.Cluster): no cluster to adopt",
                FcEvent.parse(failed).ignored().orElseThrow());

        ObjectNode config = (ObjectNode) fixture("ack-pod-event-assembled.json");
        config.put("type", "cs:Config:ConfigurationItemChangeNotification");
        assertTrue(FcEvent.parse(config).ignored().orElseThrow().contains("needs no action"));
    }

    @Test
    void aRecordWithoutItsEnvelopeOrWithoutAClusterIsA400() throws IOException {
        var bare = assertThrows(BadRequestException.class,
                () -> FcEvent.parse(fixture("actiontrail-apicall-record-documented.json")));
        assertEquals("body", bare.field());

        ObjectNode nameless = (ObjectNode) fixture("ack-createcluster-assembled.json");
        ObjectNode data = (ObjectNode) nameless.get("data");
        List.of("responseElements", "referencedResources").forEach(data::remove);
        var noCluster = assertThrows(BadRequestException.class, () -> FcEvent.parse(nameless));
        assertEquals("data.responseElements.cluster_id", noCluster.field());

        ObjectNode odd = (ObjectNode) fixture("ack-createcluster-assembled.json");
        ((ObjectNode) odd.get("data").get("responseElements")).put("cluster_id", "../../etc");
        assertEquals("data.responseElements.cluster_id", assertThrows(BadRequestException.class,
                () -> FcEvent.parse(odd)).field());
    }
}
