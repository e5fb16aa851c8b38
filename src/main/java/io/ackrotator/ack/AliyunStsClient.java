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
import java.util.Optional;

/**
 * {@link StsClient} over aliyun-java-sdk-core: an RPC {@link CommonRequest} (no URI pattern: the SDK signs it the RPC
 * way, HMAC-SHA1 over the sorted query) to {@code AssumeRole}, against an explicit endpoint
 * ({@code ack.sts.endpoint}). Answer as the STS API reference documents it: {@code Credentials{AccessKeyId,
 * AccessKeySecret, SecurityToken, Expiration}}, {@code AssumedRoleUser{AssumedRoleId, Arn}}.
 */
public class AliyunStsClient implements StsClient {

    static final String API_VERSION = "2015-04-01";

    private final AckSettings settings;
    private final SdkTransport transport;

    /** {@code settings} with the STS endpoint; {@code caller} is who assumes (the function's own credentials). */
    public AliyunStsClient(AckSettings settings, AckCredentials caller, RateLimiter rateLimiter, ObjectMapper json) {
        this.settings = settings;
        this.transport = new SdkTransport(settings, caller, rateLimiter, json);
    }

    @Override
    public AssumedRole assumeRole(String roleArn, String sessionName, Duration duration, Optional<String> policy,
            Optional<String> externalId) {
        CommonRequest request = new CommonRequest();
        request.setSysMethod(MethodType.POST);
        request.setSysProtocol(settings.https() ? ProtocolType.HTTPS : ProtocolType.HTTP);
        request.setSysDomain(settings.endpoint());
        request.setSysProduct("Sts");
        request.setSysVersion(API_VERSION);
        request.setSysAction("AssumeRole");
        request.setSysAccept(FormatType.JSON);
        request.setSysConnectTimeout((int) settings.connectTimeout().toMillis());
        request.setSysReadTimeout((int) settings.readTimeout().toMillis());
        request.putQueryParameter("RoleArn", roleArn);
        request.putQueryParameter("RoleSessionName", sessionName);
        request.putQueryParameter("DurationSeconds", Long.toString(duration.toSeconds()));
        policy.ifPresent(p -> request.putQueryParameter("Policy", p));
        externalId.ifPresent(id -> request.putQueryParameter("ExternalId", id));
        JsonNode body = transport.call("AssumeRole", true, request);
        JsonNode credentials = body.path("Credentials");
        String id = credentials.path("AccessKeyId").asText("");
        String secret = credentials.path("AccessKeySecret").asText("");
        String token = credentials.path("SecurityToken").asText("");
        Optional<Instant> expiration = instant(credentials.path("Expiration").asText(""));
        if (id.isEmpty() || secret.isEmpty() || token.isEmpty() || expiration.isEmpty()) {
            throw SdkTransport.badResponse("AssumeRole", "answer has no complete 'Credentials'");
        }
        return new AssumedRole(new AckCredentials(id, secret, Optional.of(token)), expiration.get(),
                body.path("AssumedRoleUser").path("AssumedRoleId").asText(""),
                body.path("AssumedRoleUser").path("Arn").asText(""));
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
