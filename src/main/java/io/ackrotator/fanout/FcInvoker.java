package io.ackrotator.fanout;

import io.ackrotator.signing.Digests;
import io.ackrotator.ack.AckCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts an asynchronous invocation of a function through Function Compute 3.0's API: {@code POST
 * /2023-03-30/functions/{name}/invocations} with {@code x-fc-invocation-type: Async} and an {@code x-fc-async-task-id};
 * FC answers 202 when it queued the invocation and 409 when a task of that ID exists already (so a retried fan-out
 * never starts a batch twice). Signed with {@link Fc3Signature}; no FC SDK: the official one (com.aliyun:fc20230330)
 * brings OkHttp, Gson, tea's reflection over public fields and a JaCoCo runtime in compile scope, none of which a native
 * image wants. Source: InvokeFunction (https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/developer-reference/api-fc-2023-03-30-invokefunction),
 * task deduplication (https://www.alibabacloud.com/help/en/fc/task-deduplication), and the SDK's request
 * (aliyun/alibabacloud-java-sdk fc-20230330 Client.java invokeFunctionWithOptions).
 */
public class FcInvoker {

    /** Letters, digits, _ and -, starting with a letter or _, at most 128 (InvokeFunctionHeaders' doc). */
    static final java.util.regex.Pattern TASK_ID = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,127}");
    private static final DateTimeFormatter ACS_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    /** FC checks x-acs-date against its own clock (15 minutes), not against the function's notion of time. */
    private static final Clock WALL = Clock.systemUTC();

    /** What FC said to one invocation. */
    public enum Outcome { STARTED, ALREADY_STARTED, FAILED }

    public record Answer(Outcome outcome, int status, String detail) {
    }

    private final URI endpoint;
    private final String functionName;
    private final Optional<String> qualifier;
    private final HttpClient http;

    public FcInvoker(String endpoint, String functionName, Optional<String> qualifier, HttpClient http) {
        this.endpoint = URI.create(endpoint);
        this.functionName = functionName;
        this.qualifier = qualifier;
        this.http = http;
    }

    public Answer invokeAsync(String taskId, byte[] payload, AckCredentials credentials) {
        if (!TASK_ID.matcher(taskId).matches()) {
            throw new IllegalArgumentException("async task ID '" + taskId + "' is not of FC's shape");
        }
        String path = "/2023-03-30/functions/" + Fc3Signature.encode(functionName) + "/invocations";
        Map<String, String> query = qualifier.map(q -> Map.of("qualifier", q)).orElse(Map.of());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", endpoint.getAuthority());
        headers.put("content-type", "application/octet-stream");
        headers.put("x-acs-action", "InvokeFunction");
        headers.put("x-acs-version", "2023-03-30");
        headers.put("x-acs-date", ACS_DATE.format(WALL.instant()));
        headers.put("x-acs-signature-nonce", UUID.randomUUID().toString().replace("-", ""));
        headers.put("x-acs-content-sha256", Digests.sha256Hex(payload));
        credentials.securityToken().ifPresent(token -> {
            headers.put("x-acs-accesskey-id", credentials.accessKeyId());
            headers.put("x-acs-security-token", token);
        });
        headers.put("x-fc-invocation-type", "Async");
        headers.put("x-fc-async-task-id", taskId);
        String authorization = Fc3Signature.authorization(credentials, "POST", path, query, headers, payload);
        URI uri = endpoint.resolve(path + (query.isEmpty() ? "" : "?" + Fc3Signature.canonicalQuery(query)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        headers.forEach((name, value) -> {
            if (!name.equals("host")) {
                request.header(name, value);
            }
        });
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(Outcome.FAILED, 0, "FC could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Outcome.FAILED, 0, "interrupted");
        }
        return switch (response.statusCode()) {
            case 202, 200 -> new Answer(Outcome.STARTED, response.statusCode(), response.headers()
                    .firstValue("x-fc-request-id").orElse(""));
            case 409 -> new Answer(Outcome.ALREADY_STARTED, 409, "a task " + taskId + " exists already");
            default -> new Answer(Outcome.FAILED, response.statusCode(), "FC answered HTTP " + response.statusCode()
                    + " " + code(response.body()));
        };
    }

    /** The error's code only ({@code Code} or {@code code}), bounded: never an echo of anything else. */
    private static String code(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"[Cc]ode\"\\s*:\\s*\"([A-Za-z0-9._-]{1,64})\"")
                .matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : "";
    }
}
