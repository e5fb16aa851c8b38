package io.ackrotator.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * STS (product Sts, version 2015-04-01) as far as {@code AssumeRole} goes, beside the ACK emulator whose identities it
 * shares: an assumed role's session is an identity of the ACK emulator (its certificates carry the role's UID), valid
 * until it expires, and narrowed to the session's inline policy.
 *
 * <p>Sources: the AssumeRole API reference (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole:
 * parameters {@code RoleArn}, {@code RoleSessionName} 2-64 of {@code [A-Za-z0-9.@_-]}, {@code DurationSeconds} 900 to
 * the role's maximum (3,600 by default), {@code Policy}; answer {@code Credentials{AccessKeyId, AccessKeySecret,
 * SecurityToken, Expiration}}, {@code AssumedRoleUser{AssumedRoleId, Arn}} with {@code AssumedRoleId} =
 * {@code <role id>:<session name>}; errors {@code EntityNotExist.Role}, {@code NoPermission} for a caller the role's
 * trust policy does not name, {@code InvalidParameter.*}). The RPC signature as aliyun-java-sdk-core 4.7.10 computes
 * it ({@code com/aliyuncs/auth/RpcSignatureComposer.java}, {@code RpcAcsRequest.java}): HMAC-SHA1 with key
 * {@code secret + "&"} over {@code METHOD&%2F&} + the percent-encoded, sorted {@code key=value} query, Base64, in the
 * {@code Signature} parameter; STS credentials add {@code SecurityToken}.
 */
public final class FakeSts implements AutoCloseable {

    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9.@_-]{2,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A RAM role: its ARN, its ID (the UID its kubeconfigs carry), whom its trust policy lets assume it, and the
     * external ID its trust policy's {@code sts:ExternalId} condition asks for. Source: RAM, "Use an external ID"
     * (https://www.alibabacloud.com/help/en/ram/use-cases/use-an-external-id-to-prevent-the-confused-deputy-problem):
     * AssumeRole without the matching {@code ExternalId} is refused.
     */
    public record Role(String arn, String uid, Set<String> trustedUids, Optional<String> externalId) {

        public Role(String arn, String uid, Set<String> trustedUids) {
            this(arn, uid, trustedUids, Optional.empty());
        }

        /** The account in the ARN, {@code acs:ram::<account>:role/<name>}. */
        Optional<String> account() {
            String[] parts = arn.split(":");
            return parts.length >= 5 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
        }
    }

    /** What a session's inline policy allows on ACK: actions, clusters ({@code *} = any), a kubeconfig minute cap. */
    public record SessionPolicy(Set<String> actions, Set<String> clusters, OptionalLong maxMinutes) {
        public boolean allows(String action, String clusterId, OptionalLong minutes) {
            boolean cluster = clusters.contains("*") || clusters.contains(clusterId);
            boolean withinCap = maxMinutes.isEmpty() || (minutes.isPresent()
                    && minutes.getAsLong() <= maxMinutes.getAsLong());
            // no Policy parameter: the session has the role's own permissions, which this stand-in does not narrow
            return (actions.contains("*") || actions.contains(action)) && cluster && withinCap;
        }
    }

    /** One AssumeRole call as it arrived (after the signature check). */
    public record Assumption(String callerUid, String roleArn, String sessionName, long durationSeconds,
            Optional<String> policy, Optional<String> externalId) {
    }

    private final FakeAck ack;
    private final HttpServer server;
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final java.util.List<Assumption> assumptions = new CopyOnWriteArrayList<>();

    FakeSts(FakeAck ack) {
        this.ack = ack;
        try {
            server = HttpServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(MemberApiServer.daemon("fake-sts")));
        server.start();
    }

    /** {@code host:port}, what {@code ack.sts.endpoint} takes (with {@code ack.protocol=http}). */
    public String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeSts addRole(Role role) {
        roles.put(role.arn(), role);
        return this;
    }

    public java.util.List<Assumption> assumptions() {
        return java.util.List.copyOf(assumptions);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString().toUpperCase();
            Map<String, String> params = new TreeMap<>(FakeAck.query(exchange.getRequestURI().getRawQuery()));
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (body.length > 0) {
                params.putAll(FakeAck.query(new String(body, StandardCharsets.UTF_8)));
            }
            Optional<FakeAck.Identity> caller = authenticate(exchange, params, requestId);
            if (caller.isEmpty()) {
                return;
            }
            if (!"AssumeRole".equals(params.get("Action")) || !"2015-04-01".equals(params.get("Version"))) {
                error(exchange, 404, "InvalidAction.NotFound", "Specified api is not found", requestId);
                return;
            }
            assumeRole(exchange, caller.get(), params, requestId);
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalError", "stand-in failure: " + e.getClass().getSimpleName(), "0");
        }
    }

    private Optional<FakeAck.Identity> authenticate(HttpExchange exchange, Map<String, String> params,
            String requestId) throws IOException {
        FakeAck.Identity identity = ack.identity(params.getOrDefault("AccessKeyId", ""));
        if (identity == null) {
            error(exchange, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", requestId);
            return Optional.empty();
        }
        Map<String, String> signed = new TreeMap<>(params);
        String signature = signed.remove("Signature");
        StringBuilder canonical = new StringBuilder();
        signed.forEach((key, value) -> canonical.append('&').append(encode(key)).append('=').append(encode(value)));
        String stringToSign = exchange.getRequestMethod() + "&" + encode("/") + "&"
                + encode(canonical.substring(Math.min(1, canonical.length())));
        if (signature == null || !FakeAck.hmacSha1(identity.secret() + "&", stringToSign).equals(signature)) {
            error(exchange, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.",
                    requestId);
            return Optional.empty();
        }
        Optional<String> token = Optional.ofNullable(params.get("SecurityToken"));
        if (!identity.securityToken().equals(token)) {
            error(exchange, 400, "InvalidSecurityToken.Mismatch", "Specified SecurityToken is not valid.", requestId);
            return Optional.empty();
        }
        if (ack.expired(identity)) {
            error(exchange, 400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.", requestId);
            return Optional.empty();
        }
        return Optional.of(identity);
    }

    private void assumeRole(HttpExchange exchange, FakeAck.Identity caller, Map<String, String> params,
            String requestId) throws IOException {
        Role role = roles.get(params.getOrDefault("RoleArn", ""));
        String sessionName = params.getOrDefault("RoleSessionName", "");
        long duration;
        try {
            duration = Long.parseLong(params.getOrDefault("DurationSeconds", "3600"));
        } catch (NumberFormatException e) {
            duration = -1;
        }
        Optional<String> policyText = Optional.ofNullable(params.get("Policy"));
        assumptions.add(new Assumption(caller.uid(), params.get("RoleArn"), sessionName, duration, policyText,
                Optional.ofNullable(params.get("ExternalId"))));
        if (role == null) {
            error(exchange, 404, "EntityNotExist.Role", "The specified Role not exists.", requestId);
            return;
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            error(exchange, 400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly "
                    + "formed.", requestId);
            return;
        }
        if (duration < 900 || duration > 3600) {
            error(exchange, 400, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is "
                    + "15min/1hr.", requestId);
            return;
        }
        if (!role.trustedUids().contains(caller.uid()) || (role.externalId().isPresent()
                && !role.externalId().get().equals(params.get("ExternalId")))) {
            error(exchange, 403, "NoPermission", "You are not authorized to do this action. You should be authorized "
                    + "by RAM.", requestId);
            return;
        }
        SessionPolicy policy;
        try {
            policy = policyText.map(FakeSts::parse).orElse(new SessionPolicy(Set.of("*"), Set.of("*"),
                    OptionalLong.empty()));
        } catch (RuntimeException e) {
            error(exchange, 400, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar "
                    + "check.", requestId);
            return;
        }
        Instant expiration = ack.clock().instant().plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS);
        FakeAck.Identity session = new FakeAck.Identity("STS." + UUID.randomUUID().toString().replace("-", ""),
                UUID.randomUUID().toString(), Optional.of("CAIS" + UUID.randomUUID().toString().replace("-", "")
                        + UUID.randomUUID().toString().replace("-", "")), role.uid());
        ack.addSession(session, expiration, policy, role.account());
        ObjectNode answer = JSON.createObjectNode().put("RequestId", requestId);
        answer.putObject("AssumedRoleUser").put("AssumedRoleId", role.uid() + ":" + sessionName)
                .put("Arn", role.arn() + "/" + sessionName);
        answer.putObject("Credentials").put("AccessKeyId", session.accessKeyId())
                .put("AccessKeySecret", session.secret()).put("SecurityToken", session.securityToken().orElseThrow())
                .put("Expiration", expiration.toString());
        byte[] bytes = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * An inline policy as far as ACK goes: the actions and clusters its Allow statements name, and the
     * {@code cs:KubeConfigDurationMinutes} cap of a {@code NumericLessThanEquals} condition.
     */
    static SessionPolicy parse(String text) {
        JsonNode policy;
        try {
            policy = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        Set<String> actions = new HashSet<>();
        Set<String> clusters = new HashSet<>();
        OptionalLong cap = OptionalLong.empty();
        for (JsonNode statement : policy.path("Statement")) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                continue;
            }
            statement.path("Action").forEach(action -> actions.add(action.asText().replaceFirst("^cs:", "")));
            for (JsonNode resource : statement.path("Resource")) {
                String arn = resource.asText();
                clusters.add(arn.equals("*") ? "*" : arn.substring(arn.lastIndexOf('/') + 1));
            }
            JsonNode limit = statement.path("Condition").path("NumericLessThanEquals")
                    .path("cs:KubeConfigDurationMinutes");
            if (!limit.isMissingNode()) {
                cap = OptionalLong.of(Long.parseLong(limit.asText()));
            }
        }
        return new SessionPolicy(Set.copyOf(actions), Set.copyOf(clusters), cap);
    }

    private static String encode(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8").replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message, String requestId)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(JSON.createObjectNode().put("RequestId", requestId)
                .put("HostId", "sts.aliyuncs.com").put("Code", code).put("Message", message));
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
