package io.ackrotator.ack;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AckClient} over aliyun-java-sdk-core ({@link SdkTransport}): ROA {@link CommonRequest}s to product CS, version 2015-12-15, JSON,
 * against an explicit endpoint (no location-service lookup). The SDK only signs and sends; status, error codes and
 * bodies are read here, so a malformed answer is our error to name, not the SDK's to guess.
 */
public class AliyunAckClient implements AckClient {

    static final String API_VERSION = "2015-12-15";
    static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 1000;
    /** The largest page ListClusterKubeconfigStates serves. */
    private static final int STATES_PAGE_SIZE = 50;

    private final AckSettings settings;
    private final SdkTransport transport;
    private final AckCredentials credentials;

    public AliyunAckClient(AckSettings settings, AckCredentials credentials, RateLimiter rateLimiter,
            ObjectMapper json) {
        this.settings = settings;
        this.credentials = credentials;
        this.transport = new SdkTransport(settings, credentials, rateLimiter, json);
    }

    @Override
    public AckCredentials credentials() {
        return credentials;
    }

    @Override
    public String region() {
        return settings.regionId();
    }

    @Override
    public IssuedKubeconfig describeUserKubeconfig(ClusterId clusterId, AckAccess access,
            Optional<Duration> temporaryValidity) {
        CommonRequest request = request(MethodType.GET, "/k8s/[ClusterId]/user_config", "DescribeClusterUserKubeconfig");
        request.putPathParameter("ClusterId", clusterId.value());
        request.putQueryParameter("PrivateIpAddress", Boolean.toString(access == AckAccess.INTERNAL));
        temporaryValidity.ifPresent(validity -> request.putQueryParameter("TemporaryDurationMinutes",
                Long.toString(validity.toMinutes())));
        JsonNode body = transport.call("DescribeClusterUserKubeconfig", true, request);
        JsonNode config = body.get("config");
        if (config == null || !config.isTextual() || config.asText().isBlank()) {
            throw SdkTransport.badResponse("DescribeClusterUserKubeconfig", "answer has no 'config'");
        }
        return new IssuedKubeconfig(config.asText(), instant(body.get("expiration")));
    }

    @Override
    public List<AckCluster> listClusters(ClusterFilter filter) {
        List<AckCluster> clusters = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            CommonRequest request = request(MethodType.GET, "/api/v1/clusters", "DescribeClustersV1");
            request.putQueryParameter("page_size", Integer.toString(PAGE_SIZE));
            request.putQueryParameter("page_number", Integer.toString(page));
            filter.clusterType().ifPresent(type -> request.putQueryParameter("cluster_type", type));
            JsonNode body = transport.call("DescribeClustersV1", true, request);
            JsonNode items = body.get("clusters");
            if (items == null || !items.isArray()) {
                throw SdkTransport.badResponse("DescribeClustersV1", "answer has no 'clusters' list");
            }
            for (JsonNode item : items) {
                AckCluster cluster = new AckCluster(item.path("cluster_id").asText(""), item.path("name").asText(""),
                        item.path("region_id").asText(""), item.path("state").asText(""),
                        item.path("cluster_type").asText(""));
                if (!cluster.clusterId().isEmpty() && filter.accepts(cluster)) {
                    clusters.add(cluster);
                }
            }
            long total = body.path("page_info").path("total_count").asLong(-1);
            boolean lastPage = items.size() < PAGE_SIZE || (total >= 0 && (long) page * PAGE_SIZE >= total);
            if (lastPage) {
                return clusters;
            }
        }
        throw SdkTransport.badResponse("DescribeClustersV1", "more than " + MAX_PAGES + " pages");
    }

    @Override
    public void revokeKubeconfig(ClusterId clusterId) {
        CommonRequest request = request(MethodType.DELETE, "/k8s/[ClusterId]/certs", "RevokeK8sClusterKubeConfig");
        request.putPathParameter("ClusterId", clusterId.value());
        transport.call("RevokeK8sClusterKubeConfig", false, request);
    }

    /**
     * {@code GET /clusters/{ClusterId}/kubeconfig/states?pageNumber&pageSize} (camelCase, unlike DescribeClustersV1),
     * answering {@code {"page": {"page_number", "page_size", "total_count"}, "states": [...]}} (Source:
     * alibabacloud-go/cs-20151215 client/client.go ListClusterKubeconfigStatesWithOptions and
     * client/list_cluster_kubeconfig_states_response_body_model.go).
     */
    @Override
    public List<KubeconfigState> listKubeconfigStates(ClusterId clusterId) {
        List<KubeconfigState> states = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            CommonRequest request = request(MethodType.GET, "/clusters/[ClusterId]/kubeconfig/states",
                    "ListClusterKubeconfigStates");
            request.putPathParameter("ClusterId", clusterId.value());
            request.putQueryParameter("pageNumber", Integer.toString(page));
            request.putQueryParameter("pageSize", Integer.toString(STATES_PAGE_SIZE));
            JsonNode body = transport.call("ListClusterKubeconfigStates", true, request);
            JsonNode items = body.get("states");
            if (items == null || !items.isArray()) {
                throw SdkTransport.badResponse("ListClusterKubeconfigStates", "answer has no 'states' list");
            }
            for (JsonNode item : items) {
                String accountId = item.path("account_id").asText("");
                if (!accountId.isEmpty()) {
                    states.add(new KubeconfigState(accountId, text(item, "account_name"), text(item, "account_type"),
                            text(item, "account_state"), instant(item.get("cert_expire_time")),
                            text(item, "cert_state"), item.path("revokable").isBoolean()
                                    ? Optional.of(item.get("revokable").booleanValue()) : Optional.empty()));
                }
            }
            long total = body.path("page").path("total_count").asLong(-1);
            if (items.size() < STATES_PAGE_SIZE || (total >= 0 && (long) page * STATES_PAGE_SIZE >= total)) {
                return states;
            }
        }
        throw SdkTransport.badResponse("ListClusterKubeconfigStates", "more than " + MAX_PAGES + " pages");
    }

    /** {@code DELETE /cluster/{ClusterId}/user/{Uid}/permissions?Force=} (Source: as above, CleanClusterUserPermissionsWithOptions). */
    @Override
    public void cleanUserPermissions(ClusterId clusterId, String uid, boolean force) {
        CommonRequest request = request(MethodType.DELETE, "/cluster/[ClusterId]/user/[Uid]/permissions",
                "CleanClusterUserPermissions");
        request.putPathParameter("ClusterId", clusterId.value());
        request.putPathParameter("Uid", uid);
        request.putQueryParameter("Force", Boolean.toString(force));
        transport.call("CleanClusterUserPermissions", false, request);
    }

    private static Optional<String> text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText())
                : Optional.empty();
    }

    private CommonRequest request(MethodType method, String uriPattern, String action) {
        CommonRequest request = new CommonRequest();
        request.setSysMethod(method);
        request.setSysProtocol(settings.https() ? ProtocolType.HTTPS : ProtocolType.HTTP);
        request.setSysDomain(settings.endpoint());
        request.setSysProduct("CS");
        request.setSysVersion(API_VERSION);
        request.setSysAction(action);
        request.setSysUriPattern(uriPattern);
        request.setSysAccept(FormatType.JSON);
        request.setSysConnectTimeout((int) settings.connectTimeout().toMillis());
        request.setSysReadTimeout((int) settings.readTimeout().toMillis());
        return request;
    }

    private static Optional<Instant> instant(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
