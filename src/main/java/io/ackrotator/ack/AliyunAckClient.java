package io.ackrotator.ack;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.auth.StaticCredentialsProvider;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.HttpResponse;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@link AckClient} over aliyun-java-sdk-core: ROA {@link CommonRequest}s to product CS, version 2015-12-15, JSON,
 * against an explicit endpoint (no location-service lookup). The SDK only signs and sends; status, error codes and
 * bodies are read here, so a malformed answer is our error to name, not the SDK's to guess.
 */
public class AliyunAckClient implements AckClient {

    static final String API_VERSION = "2015-12-15";
    static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 1000;
    private static final Logger LOG = Logger.getLogger(AliyunAckClient.class);

    private final AckSettings settings;
    private final DefaultAcsClient sdk;
    private final RateLimiter rateLimiter;
    private final ObjectMapper json;

    public AliyunAckClient(AckSettings settings, AckCredentials credentials, RateLimiter rateLimiter,
            ObjectMapper json) {
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.json = json;
        DefaultProfile profile = DefaultProfile.getProfile(settings.regionId());
        this.sdk = new DefaultAcsClient(profile, new StaticCredentialsProvider(credentials.securityToken()
                .<com.aliyuncs.auth.AlibabaCloudCredentials>map(token -> new BasicSessionCredentials(
                        credentials.accessKeyId(), credentials.accessKeySecret(), token))
                .orElseGet(() -> new BasicCredentials(credentials.accessKeyId(), credentials.accessKeySecret()))));
    }

    @Override
    public IssuedKubeconfig describeUserKubeconfig(ClusterId clusterId, AckAccess access,
            Optional<Duration> temporaryValidity) {
        CommonRequest request = request(MethodType.GET, "/k8s/[ClusterId]/user_config", "DescribeClusterUserKubeconfig");
        request.putPathParameter("ClusterId", clusterId.value());
        request.putQueryParameter("PrivateIpAddress", Boolean.toString(access == AckAccess.INTERNAL));
        temporaryValidity.ifPresent(validity -> request.putQueryParameter("TemporaryDurationMinutes",
                Long.toString(validity.toMinutes())));
        JsonNode body = withRetries("DescribeClusterUserKubeconfig", true, () -> send(request,
                "DescribeClusterUserKubeconfig"));
        JsonNode config = body.get("config");
        if (config == null || !config.isTextual() || config.asText().isBlank()) {
            throw badResponse("DescribeClusterUserKubeconfig", "answer has no 'config'");
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
            JsonNode body = withRetries("DescribeClustersV1", true, () -> send(request, "DescribeClustersV1"));
            JsonNode items = body.get("clusters");
            if (items == null || !items.isArray()) {
                throw badResponse("DescribeClustersV1", "answer has no 'clusters' list");
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
        throw badResponse("DescribeClustersV1", "more than " + MAX_PAGES + " pages");
    }

    @Override
    public void revokeKubeconfig(ClusterId clusterId) {
        CommonRequest request = request(MethodType.DELETE, "/k8s/[ClusterId]/certs", "RevokeK8sClusterKubeConfig");
        request.putPathParameter("ClusterId", clusterId.value());
        withRetries("RevokeK8sClusterKubeConfig", false, () -> send(request, "RevokeK8sClusterKubeConfig"));
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

    /**
     * Retries what is safe: throttling always (a throttled call did nothing), server errors and timeouts only for
     * idempotent calls. Backoff is exponential with full jitter, bounded by {@code maxBackoff}.
     */
    private JsonNode withRetries(String operation, boolean idempotent, Supplier<JsonNode> call) {
        for (int attempt = 1;; attempt++) {
            try {
                rateLimiter.acquire();
                return call.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AckException(AckException.Kind.TRANSPORT, operation, "Interrupted", 0, Optional.empty(), "");
            } catch (AckException e) {
                boolean safe = e.kind() == AckException.Kind.THROTTLED || (idempotent && e.retryable());
                if (!safe || attempt >= settings.maxAttempts()) {
                    throw e;
                }
                Duration backoff = backoff(attempt);
                if (e.kind() == AckException.Kind.THROTTLED) {
                    rateLimiter.pause(backoff);
                }
                LOG.debugf("%s attempt %d failed with %s (requestId %s); retrying in %d ms", operation, attempt,
                        e.code(), e.requestId().orElse("-"), backoff.toMillis());
                sleep(backoff);
            }
        }
    }

    private Duration backoff(int attempt) {
        long ceiling = Math.min(settings.maxBackoff().toMillis(),
                settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode send(CommonRequest request, String operation) {
        HttpResponse response;
        try {
            response = sdk.doAction(request.buildRequest());
        } catch (ClientException e) {
            throw transportFailure(operation, e);
        }
        int status = response.getStatus();
        String text = response.getHttpContent() == null ? ""
                : new String(response.getHttpContent(), StandardCharsets.UTF_8);
        JsonNode body = parse(text);
        if (status >= 200 && status < 300) {
            if (body == null || !body.isObject()) {
                throw badResponse(operation, "answer is not a JSON object");
            }
            return body;
        }
        throw errorOf(operation, status, body);
    }

    private JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static AckException errorOf(String operation, int status, JsonNode body) {
        String code = body == null ? "" : body.path("code").asText(body.path("Code").asText(""));
        String message = body == null ? "" : body.path("message").asText(body.path("Message").asText(""));
        String requestId = body == null ? "" : body.path("requestId").asText(body.path("RequestId").asText(""));
        AckException.Kind kind = classify(status, code);
        return new AckException(kind, operation, code.isEmpty() ? "(none)" : code, status,
                requestId.isEmpty() ? Optional.empty() : Optional.of(requestId), AckErrorMessages.redact(code, message));
    }

    static AckException.Kind classify(int status, String code) {
        if (code.startsWith("Throttling") || status == 429) {
            return AckException.Kind.THROTTLED;
        }
        if (code.contains("Signature") || code.startsWith("InvalidAccessKeyId") || code.contains("SecurityToken")
                || code.equals("InvalidAccessKeySecret") || status == 401) {
            return AckException.Kind.AUTHENTICATION;
        }
        if (code.equals("ErrorClusterNotFound") || code.endsWith("NotFound") && status == 404) {
            return AckException.Kind.NOT_FOUND;
        }
        if (status == 403 || code.startsWith("Forbidden") || code.contains("NoPermission")) {
            return AckException.Kind.FORBIDDEN;
        }
        if (status == 404) {
            return AckException.Kind.NOT_FOUND;
        }
        if (status >= 500) {
            return AckException.Kind.SERVER;
        }
        return AckException.Kind.INVALID_REQUEST;
    }

    private static AckException transportFailure(String operation, ClientException e) {
        String code = e.getErrCode() == null ? "SDK.Unknown" : e.getErrCode();
        AckException.Kind kind = code.equals("SDK.ReadTimeout") ? AckException.Kind.TIMEOUT : AckException.Kind.TRANSPORT;
        return new AckException(kind, operation, code, 0, Optional.empty(), "");
    }

    private static AckException badResponse(String operation, String detail) {
        return new AckException(AckException.Kind.BAD_RESPONSE, operation, "BadResponse", 200, Optional.empty(), detail);
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
