package io.ackrotator.ack;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.auth.StaticCredentialsProvider;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.HttpResponse;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How every Alibaba Cloud call of the function goes out: aliyun-java-sdk-core signs and sends (ROA for CS, RPC for
 * STS, whichever the request is), and this reads the answer: status, error code, body, so a malformed answer is our
 * error to name. Calls take the rate limiter, and are retried where that is safe.
 */
final class SdkTransport {

    private static final Logger LOG = Logger.getLogger(SdkTransport.class);

    private final AckSettings settings;
    private final DefaultAcsClient sdk;
    private final RateLimiter rateLimiter;
    private final ObjectMapper json;

    SdkTransport(AckSettings settings, AckCredentials credentials, RateLimiter rateLimiter, ObjectMapper json) {
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.json = json;
        DefaultProfile profile = DefaultProfile.getProfile(settings.regionId());
        this.sdk = new DefaultAcsClient(profile, new StaticCredentialsProvider(credentials.securityToken()
                .<com.aliyuncs.auth.AlibabaCloudCredentials>map(token -> new BasicSessionCredentials(
                        credentials.accessKeyId(), credentials.accessKeySecret(), token))
                .orElseGet(() -> new BasicCredentials(credentials.accessKeyId(), credentials.accessKeySecret()))));
    }

    /** The answer's JSON body to {@code request}, retried where safe. */
    JsonNode call(String operation, boolean idempotent, CommonRequest request) {
        return withRetries(operation, idempotent, () -> send(request, operation));
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
        try {
            JsonNode body = exchange(request, operation);
            io.ackrotator.metrics.Recorded.ackCall(operation, "ok");
            return body;
        } catch (AckException e) {
            io.ackrotator.metrics.Recorded.ackCall(operation, e.kind().name().toLowerCase(java.util.Locale.ROOT));
            throw e;
        }
    }

    private JsonNode exchange(CommonRequest request, String operation) {
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
            if (body == null && text.isBlank() && bodiless(operation)) {
                return json.createObjectNode();
            }
            if (body == null || !body.isObject()) {
                throw badResponse(operation, "answer is not a JSON object");
            }
            return body;
        }
        throw errorOf(operation, status, body);
    }

    /** ACK answers these with no body at all (their API metadata says {@code BodyType: none}). */
    private static boolean bodiless(String operation) {
        return operation.equals("CleanClusterUserPermissions");
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

    static AckException badResponse(String operation, String detail) {
        return new AckException(AckException.Kind.BAD_RESPONSE, operation, "BadResponse", 200, Optional.empty(), detail);
    }

}
