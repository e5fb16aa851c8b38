package io.ackrotator.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ACK OpenAPI as this function uses it, in-process: ROA signature checking as the gateway does it, real
 * certificates per cluster CA, ACK's long-term renewal rule (same certificate until 180 days before expiry, then a new
 * one for 3 years; the old one stays valid), temporary kubeconfigs of 15–4320 minutes, revocation, and injected faults.
 * Each cluster has a {@link MemberApiServer} that accepts exactly the certificates this emulator considers valid.
 */
public final class FakeAck implements AutoCloseable {

    public static final Duration LONG_TERM_VALIDITY = Duration.ofDays(3 * 365);
    public static final Duration RENEWAL_WINDOW = Duration.ofDays(180);
    public static final String DEFAULT_AK = "LTAI5tStandInAccessKey";
    public static final String DEFAULT_SECRET = "stand-in-secret-0123456789abcdef";

    public enum Operation {
        DESCRIBE_KUBECONFIG, LIST_CLUSTERS, REVOKE, LIST_KUBECONFIG_STATES, CLEAN_PERMISSIONS
    }

    /**
     * An Alibaba Cloud identity as ListClusterKubeconfigStates describes it: {@code type} RootAccount, RamUser or
     * RamRole, {@code state} Active, InActive or Deleted (Source: alibabacloud-go/cs-20151215
     * client/list_cluster_kubeconfig_states_response_body_model.go).
     */
    public record Account(String uid, String name, String type, String state) {
    }

    /** A recorded request, after the signature check. */
    public record Call(Operation operation, String clusterId, Map<String, String> query, String accessKeyId,
            Optional<String> securityToken) {
    }

    /** What the emulator does instead of answering normally. */
    public sealed interface Fault {
        record Status(int httpStatus, String code) implements Fault {
        }

        record Delay(Duration delay) implements Fault {
        }

        /** Closes the connection without an answer. */
        record Reset() implements Fault {
        }

        record Malformed(String body) implements Fault {
        }

        static Fault throttling() {
            return new Status(400, "Throttling.User");
        }

        static Fault serverError() {
            return new Status(503, "ServiceUnavailable");
        }
    }

    private record FaultRule(Operation operation, Optional<String> clusterId, Fault fault, AtomicLong remaining) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USER_CONFIG = Pattern.compile("/k8s/([^/]+)/user_config");
    private static final Pattern CERTS = Pattern.compile("/k8s/([^/]+)/certs");
    private static final Pattern STATES = Pattern.compile("/clusters/([^/]+)/kubeconfig/states");
    private static final Pattern PERMISSIONS = Pattern.compile("/cluster/([^/]+)/user/([^/]+)/permissions");
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    private final MutableClock clock;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(MemberApiServer.daemon("fake-ack"));
    private final Map<String, Identity> identities;
    /**
     * Which account each identity belongs to (by UID), for clusters owned by an account: ACK shows a cluster only to
     * its own account's identities; another account's cluster is "not found" to them. Source: ACK's error code
     * ErrorClusterNotFound (https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/error-codes)
     * and RAM's model (https://www.alibabacloud.com/help/en/ram/user-guide/overview-of-ram: resources belong to one
     * account, another account's identity reaches them only through a role of that account).
     */
    private final Map<String, String> accountOfUid;
    private volatile String region = "cn-hangzhou";
    /**
     * STS sessions among the identities: when each expires and what its inline policy allows. Source:
     * https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole (session credentials
     * end at their Expiration; the session gets the intersection of the role's policies and the Policy parameter).
     */
    private final Map<String, Instant> sessionExpiry;
    private final Map<String, FakeSts.SessionPolicy> sessionPolicies;
    private volatile FakeSts sts;
    private final Map<String, FakeCluster> clusters = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final Map<Operation, Duration> latency = new ConcurrentHashMap<>();
    private final Set<String> seenSecurityTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejectedSignatures = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final List<Long> describeNanos = new CopyOnWriteArrayList<>();
    private volatile int maxQps;

    /** A RAM identity: its AccessKey, the STS token it must present (if any) and its UID (the certificate CN). */
    public record Identity(String accessKeyId, String secret, Optional<String> securityToken, String uid) {
    }

    static {
        // Headers and body leave in separate writes; without TCP_NODELAY, Nagle and the client's delayed ACK add
        // ~40 ms to every answer - a stand-in artefact the real gateway doesn't have.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public FakeAck(MutableClock clock) {
        this(clock, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>());
        addIdentity(new Identity(DEFAULT_AK, DEFAULT_SECRET, Optional.empty(), "27490000000001"));
    }

    /**
     * ACK in another region, knowing the same identities as {@code home} (RAM and STS are global: a session the home
     * region's STS issued signs requests to every region).
     */
    public static FakeAck inRegion(FakeAck home, String region) {
        FakeAck other = new FakeAck(home.clock, home.identities, home.sessionExpiry, home.sessionPolicies,
                home.accountOfUid);
        other.region = region;
        return other;
    }

    private FakeAck(MutableClock clock, Map<String, Identity> identities, Map<String, Instant> sessionExpiry,
            Map<String, FakeSts.SessionPolicy> sessionPolicies, Map<String, String> accountOfUid) {
        this.clock = clock;
        this.identities = identities;
        this.sessionExpiry = sessionExpiry;
        this.sessionPolicies = sessionPolicies;
        this.accountOfUid = accountOfUid;
        try {
            server = HttpServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeAck start() {
        TestPki.fillLeafKeyPool(); // before any request: a first answer must not wait out the caller's read timeout
        return new FakeAck(MutableClock.startingNow());
    }

    public MutableClock clock() {
        return clock;
    }

    /** {@code host:port}, what {@code ack.endpoint} takes (with {@code ack.protocol=http}). */
    public String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeAck addIdentity(Identity identity) {
        identities.put(identity.accessKeyId(), identity);
        return this;
    }

    /** The member RBAC of the shipped manifests; {@code REPLACE-WITH-ROLE-UID} stands for every identity here. */
    public static final List<java.nio.file.Path> MEMBER_RBAC = List.of(java.nio.file.Path.of("deploy/fc/member-rbac.yaml"),
            java.nio.file.Path.of("deploy/fc/member-rbac-kubesphere.yaml"));
    private volatile Rbac memberRbac;
    private volatile java.util.Set<String> memberRbacUsers = java.util.Set.of();
    private volatile Rbac.RuleEditor memberRuleEditor = (role, index, rule) -> rule;

    /** Members authorize with the shipped member RBAC, each rule through {@code editor} (to prove a rule is needed). */
    public synchronized void editMemberRbac(Rbac.RuleEditor editor) {
        memberRuleEditor = editor;
        memberRbac = null;
    }

    private final List<String> memberGrants = new CopyOnWriteArrayList<>();

    /** RBAC documents (Roles, bindings naming their users) that every member holds besides the shipped ones. */
    /**
     * The shipped member RBAC bound to {@code uid} too: what an operator does on another account's clusters for that
     * account's role (README "Large fleets").
     */
    public synchronized void bindShippedRbacTo(String uid) {
        shippedRbacUsers.add(uid);
        memberRbac = null;
    }

    private final java.util.Set<String> shippedRbacUsers = ConcurrentHashMap.newKeySet();

    public synchronized void grantOnMembers(String rbacYaml) {
        memberGrants.add(rbacYaml);
        memberRbac = null;
    }

    /**
     * The shipped member RBAC, bound to the function's identities (those that are not STS sessions: an assumed
     * role's identity has only what a test grants it), plus the tests' own grants.
     */
    synchronized Rbac memberRbac() {
        java.util.Set<String> users = new java.util.TreeSet<>(shippedRbacUsers);
        identities.values().stream().filter(identity -> !sessionExpiry.containsKey(identity.accessKeyId()))
                .forEach(identity -> users.add(identity.uid()));
        if (memberRbac == null || !users.equals(memberRbacUsers)) {
            memberRbac = Rbac.load(MEMBER_RBAC, List.copyOf(memberGrants), "REPLACE-WITH-ROLE-UID",
                    List.copyOf(users), memberRuleEditor);
            memberRbacUsers = users;
        }
        return memberRbac;
    }

    /** The STS stand-in beside this emulator (started on first use). */
    public synchronized FakeSts sts() {
        if (sts == null) {
            sts = new FakeSts(this);
        }
        return sts;
    }

    public Identity identity(String accessKeyId) {
        return identities.get(accessKeyId);
    }

    /** An assumed role's session: an identity of the role's UID, valid until {@code expires}, within its policy. */
    void addSession(Identity session, Instant expires, FakeSts.SessionPolicy policy, Optional<String> account) {
        account.ifPresent(id -> accountOfUid.put(session.uid(), id));
        identities.put(session.accessKeyId(), session);
        sessionExpiry.put(session.accessKeyId(), expires);
        sessionPolicies.put(session.accessKeyId(), policy);
    }

    /**
     * Ends every assumed-role session now, before its Expiration: what a caller sees when STS's and its own clock
     * disagree, or when a role's sessions were revoked (RAM's "revoke active sessions" of a role).
     */
    public void endSessions() {
        Instant now = clock.instant();
        sessionExpiry.replaceAll((key, expires) -> now);
    }

    boolean expired(Identity identity) {
        Instant expires = sessionExpiry.get(identity.accessKeyId());
        return expires != null && !clock.instant().isBefore(expires);
    }

    /** {@code uid}'s identities belong to {@code account} (for clusters owned by it). */
    public void inAccount(String uid, String account) {
        accountOfUid.put(uid, account);
    }

    public Identity defaultIdentity() {
        return identities.get(DEFAULT_AK);
    }

    /** A new running cluster with its CA and member API server. */
    public FakeCluster addCluster(String clusterId, String name) {
        FakeCluster cluster = new FakeCluster(clusterId, name, clock, this::memberRbac);
        clusters.put(clusterId, cluster);
        return cluster;
    }

    /**
     * For fleets of thousands (benchmarks): clusters that share one CA and one member API server, so a cluster costs
     * no key generation and no server. Everything else (certificates, renewal rules, revocation) is per cluster.
     */
    public FakeCluster addClusterSharing(String clusterId, String name, FakeCluster template) {
        FakeCluster cluster = new FakeCluster(clusterId, name, clock, this::memberRbac);
        synchronized (template) {
            cluster.ca = template.ca();
            cluster.member = template.member();
            cluster.shared = true;
        }
        clusters.put(clusterId, cluster);
        return cluster;
    }

    /** How long the emulator itself spent answering each DESCRIBE_KUBECONFIG, in arrival order (nanoseconds). */
    public List<Long> describeHandlingNanos() {
        return List.copyOf(describeNanos);
    }

    public boolean hasCluster(String clusterId) {
        return clusters.containsKey(clusterId);
    }

    public FakeCluster cluster(String clusterId) {
        return clusters.get(clusterId);
    }

    public void removeCluster(String clusterId) {
        FakeCluster cluster = clusters.remove(clusterId);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Injects {@code fault} into the next {@code times} calls of {@code operation} (for one cluster, or any). */
    public FakeAck failing(Operation operation, Optional<String> clusterId, Fault fault, long times) {
        faults.add(new FaultRule(operation, clusterId, fault, new AtomicLong(times)));
        return this;
    }

    public FakeAck failing(Operation operation, Fault fault, long times) {
        return failing(operation, Optional.empty(), fault, times);
    }

    public FakeAck withLatency(Operation operation, Duration delay) {
        latency.put(operation, delay);
        return this;
    }

    /** Above this many requests per second, answers {@code Throttling.User}; 0 = no limit. */
    public FakeAck withQpsLimit(int requestsPerSecond) {
        this.maxQps = requestsPerSecond;
        return this;
    }

    public void clearFaults() {
        faults.clear();
        latency.clear();
        maxQps = 0;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(Operation operation) {
        return calls.stream().filter(call -> call.operation() == operation).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    /** Every HTTP request that reached the emulator, authenticated or not. */
    public long requests() {
        return requests.get();
    }

    public long rejectedSignatures() {
        return rejectedSignatures.get();
    }

    public Set<String> seenSecurityTokens() {
        return Set.copyOf(seenSecurityTokens);
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String requestId = UUID.randomUUID().toString().toUpperCase();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Optional<Identity> caller = authenticate(exchange, path, query, requestId);
            if (caller.isEmpty()) {
                return;
            }
            Operation operation;
            String clusterId = null;
            Matcher userConfig = USER_CONFIG.matcher(path);
            Matcher certs = CERTS.matcher(path);
            Matcher states = STATES.matcher(path);
            Matcher permissions = PERMISSIONS.matcher(path);
            String uid = null;
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && userConfig.matches()) {
                operation = Operation.DESCRIBE_KUBECONFIG;
                clusterId = userConfig.group(1);
            } else if (method.equals("GET") && path.equals("/api/v1/clusters")) {
                operation = Operation.LIST_CLUSTERS;
            } else if (method.equals("DELETE") && certs.matches()) {
                operation = Operation.REVOKE;
                clusterId = certs.group(1);
            } else if (method.equals("GET") && states.matches()) {
                operation = Operation.LIST_KUBECONFIG_STATES;
                clusterId = states.group(1);
            } else if (method.equals("DELETE") && permissions.matches()) {
                operation = Operation.CLEAN_PERMISSIONS;
                clusterId = permissions.group(1);
                uid = permissions.group(2);
            } else {
                error(exchange, 404, "InvalidAction.NotFound", "Specified api is not found", requestId);
                return;
            }
            calls.add(new Call(operation, clusterId, query, caller.get().accessKeyId(),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("x-acs-security-token"))));
            FakeSts.SessionPolicy policy = sessionPolicies.get(caller.get().accessKeyId());
            if (policy != null && !policy.allows(switch (operation) {
                case DESCRIBE_KUBECONFIG -> "DescribeClusterUserKubeconfig";
                case LIST_CLUSTERS -> "GetClusters";
                case REVOKE -> "RevokeK8sClusterKubeConfig";
                case LIST_KUBECONFIG_STATES -> "ListClusterKubeconfigStates";
                case CLEAN_PERMISSIONS -> "CleanClusterUserPermissions";
            }, clusterId == null ? "*" : clusterId, query.containsKey("TemporaryDurationMinutes")
                    ? java.util.OptionalLong.of(intOf(query.get("TemporaryDurationMinutes"), Integer.MAX_VALUE))
                    : java.util.OptionalLong.empty())) {
                // a session narrowed by an inline policy: RAM denies what the intersection does not allow
                error(exchange, 403, "Forbidden.RAM", "User not authorized to operate on the specified resource.",
                        requestId);
                return;
            }
            if (overQpsLimit(caller.get())) {
                error(exchange, 400, "Throttling.User", "Request was denied due to user flow control.", requestId);
                return;
            }
            Duration delay = latency.get(operation);
            if (delay != null) {
                sleep(delay);
            }
            Optional<Fault> fault = nextFault(operation, clusterId);
            if (fault.isPresent() && apply(fault.get(), exchange, requestId)) {
                return;
            }
            switch (operation) {
                case DESCRIBE_KUBECONFIG -> {
                    long started = System.nanoTime();
                    if (!visible(clusterId, caller.get())) {
                        error(exchange, 404, "ErrorClusterNotFound", "cluster " + clusterId + " not found", requestId);
                    } else {
                        describeKubeconfig(exchange, caller.get(), clusterId, query, requestId);
                    }
                    describeNanos.add(System.nanoTime() - started);
                }
                case LIST_CLUSTERS -> listClusters(exchange, query, caller.get());
                case REVOKE -> revoke(exchange, caller.get(), clusterId, requestId);
                case LIST_KUBECONFIG_STATES -> kubeconfigStates(exchange, clusterId, query, requestId);
                case CLEAN_PERMISSIONS -> cleanPermissions(exchange, caller.get(), clusterId, uid, query, requestId);
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalError", "stand-in failure: " + e.getClass().getSimpleName(), "0");
        }
    }

    private Optional<Identity> authenticate(HttpExchange exchange, String path, Map<String, String> query,
            String requestId) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("acs ") || !authorization.contains(":")) {
            error(exchange, 400, "MissingAuthorization", "Authorization header is missing.", requestId);
            return Optional.empty();
        }
        String accessKeyId = authorization.substring(4, authorization.lastIndexOf(':'));
        String signature = authorization.substring(authorization.lastIndexOf(':') + 1);
        Identity identity = identities.get(accessKeyId);
        if (identity == null) {
            error(exchange, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", requestId);
            return Optional.empty();
        }
        String stringToSign = stringToSign(exchange, path, query);
        if (!hmacSha1(identity.secret(), stringToSign).equals(signature)) {
            rejectedSignatures.incrementAndGet();
            // Faithful to the gateway: the message echoes the string to sign, security token included.
            error(exchange, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                    + "server string to sign is:" + stringToSign, requestId);
            return Optional.empty();
        }
        String token = exchange.getRequestHeaders().getFirst("x-acs-security-token");
        if (token != null) {
            seenSecurityTokens.add(token);
        }
        if (identity.securityToken().isPresent() && !identity.securityToken().get().equals(token)) {
            error(exchange, 400, token == null ? "MissingSecurityToken" : "InvalidSecurityToken.Mismatch",
                    "Specified SecurityToken is not valid.", requestId);
            return Optional.empty();
        }
        if (expired(identity)) {
            // STS session credentials stop working at their Expiration (STS AssumeRole reference)
            error(exchange, 400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.", requestId);
            return Optional.empty();
        }
        return Optional.of(identity);
    }

    static String stringToSign(HttpExchange exchange, String path, Map<String, String> query) {
        var headers = exchange.getRequestHeaders();
        StringBuilder sb = new StringBuilder(exchange.getRequestMethod()).append('\n');
        for (String name : List.of("Accept", "Content-MD5", "Content-Type", "Date")) {
            String value = headers.getFirst(name);
            sb.append(value == null ? "" : value).append('\n');
        }
        TreeMap<String, String> acs = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase();
            if (lower.startsWith("x-acs-")) {
                acs.put(lower, values.get(0));
            }
        });
        acs.forEach((name, value) -> sb.append(name).append(':').append(value).append('\n'));
        sb.append(path);
        if (!query.isEmpty()) {
            StringBuilder q = new StringBuilder();
            new TreeMap<>(query).forEach((key, value) -> {
                q.append(q.isEmpty() ? "" : "&").append(key);
                if (value != null && !value.isEmpty()) {
                    q.append('=').append(value);
                }
            });
            sb.append('?').append(q);
        }
        return sb.toString();
    }

    static String hmacSha1(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * ACK's flow control counts per calling account ({@code Throttling.User}: "user flow control"), and each region's
     * endpoint counts its own: one window per account here (identities of no known account share one).
     */
    private synchronized boolean overQpsLimit(Identity caller) {
        if (maxQps <= 0) {
            return false;
        }
        long second = System.nanoTime() / 1_000_000_000L;
        long[] window = qpsWindows.computeIfAbsent(accountOfUid.getOrDefault(caller.uid(), "-"), a -> new long[2]);
        if (second != window[0]) {
            window[0] = second;
            window[1] = 0;
        }
        return ++window[1] > maxQps;
    }

    private final Map<String, long[]> qpsWindows = new java.util.HashMap<>();

    private Optional<Fault> nextFault(Operation operation, String clusterId) {
        for (FaultRule rule : faults) {
            if (rule.operation() == operation && rule.clusterId().map(id -> id.equals(clusterId)).orElse(true)
                    && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return Optional.of(rule.fault());
            }
        }
        return Optional.empty();
    }

    /** Returns true when the fault replaced the answer. */
    private boolean apply(Fault fault, HttpExchange exchange, String requestId) throws IOException {
        if (fault instanceof Fault.Status status) {
            error(exchange, status.httpStatus(), status.code(), "injected fault", requestId);
            return true;
        }
        if (fault instanceof Fault.Delay delay) {
            sleep(delay.delay());
            return false;
        }
        if (fault instanceof Fault.Reset) {
            return true; // the exchange closes with nothing sent
        }
        Fault.Malformed malformed = (Fault.Malformed) fault;
        byte[] body = malformed.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return true;
    }

    private void describeKubeconfig(HttpExchange exchange, Identity caller, String clusterId,
            Map<String, String> query, String requestId) throws IOException {
        FakeCluster cluster = clusters.get(clusterId);
        if (cluster == null) {
            error(exchange, 404, "ErrorClusterNotFound", "cluster " + clusterId + " not found", requestId);
            return;
        }
        boolean internal = Boolean.parseBoolean(query.getOrDefault("PrivateIpAddress", "false"));
        String minutes = query.get("TemporaryDurationMinutes");
        FakeCluster.Credential credential;
        if (minutes == null || minutes.isEmpty()) {
            credential = cluster.longTermCredential(caller.uid());
        } else {
            long value;
            try {
                value = Long.parseLong(minutes);
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 15 || value > 4320) {
                error(exchange, 400, "ErrorInvalidParameter",
                        "TemporaryDurationMinutes must be between 15 and 4320", requestId);
                return;
            }
            credential = cluster.temporaryCredential(caller.uid(), Duration.ofMinutes(value));
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("config", cluster.kubeconfig(credential, internal));
        body.put("expiration", credential.certificate().getNotAfter().toInstant().toString());
        write(exchange, 200, body);
    }

    /** A cluster owned by an account is seen only by that account's identities; one owned by none, by all. */
    private boolean visible(String clusterId, Identity caller) {
        FakeCluster cluster = clusters.get(clusterId);
        return cluster == null || cluster.owner == null || cluster.owner.equals(accountOfUid.get(caller.uid()));
    }

    private void listClusters(HttpExchange exchange, Map<String, String> query, Identity caller) throws IOException {
        int pageSize = Math.max(1, Math.min(100, intOf(query.get("page_size"), 10)));
        int pageNumber = Math.max(1, intOf(query.get("page_number"), 1));
        String type = query.get("cluster_type");
        String name = query.get("name");
        List<FakeCluster> all = new ArrayList<>(clusters.values());
        all.removeIf(c -> (type != null && !type.equals(c.clusterType())) || (name != null && !c.name().contains(name))
                || !visible(c.clusterId(), caller));
        all.sort((a, b) -> a.clusterId().compareTo(b.clusterId()));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("clusters");
        int from = Math.min(all.size(), (pageNumber - 1) * pageSize);
        for (FakeCluster cluster : all.subList(from, Math.min(all.size(), from + pageSize))) {
            items.addObject().put("cluster_id", cluster.clusterId()).put("name", cluster.name())
                    .put("region_id", region).put("state", "running").put("cluster_type", cluster.clusterType())
                    .put("cluster_spec", "ack.pro.small").put("current_version", "1.31.1-aliyun.1");
        }
        body.putObject("page_info").put("page_number", pageNumber).put("page_size", pageSize)
                .put("total_count", all.size());
        write(exchange, 200, body);
    }

    private void revoke(HttpExchange exchange, Identity caller, String clusterId, String requestId)
            throws IOException {
        FakeCluster cluster = clusters.get(clusterId);
        if (cluster == null) {
            error(exchange, 404, "ErrorClusterNotFound", "cluster " + clusterId + " not found", requestId);
            return;
        }
        cluster.revokeAll(caller.uid());
        write(exchange, 200, JSON.createObjectNode());
    }

    /** Seeds or replaces what ACK knows about an identity (its type and whether it still exists). */
    public FakeAck addAccount(Account account) {
        accounts.put(account.uid(), account);
        return this;
    }

    /** Unseeded identities (the function's, assumed roles') are active RAM roles. */
    Account account(String uid) {
        return accounts.getOrDefault(uid, new Account(uid, "role-" + uid, "RamRole", "Active"));
    }

    /**
     * {@code GET /clusters/{ClusterId}/kubeconfig/states?pageNumber&pageSize}: one state per identity holding a
     * long-term kubeconfig of the cluster, computed from what this emulator issued and revoked. Query names, the
     * 1-50 page size (default 10), and the answer's shape and field names: alibabacloud-go/cs-20151215
     * client/client.go ListClusterKubeconfigStatesWithOptions and its request/response models, and
     * https://www.alibabacloud.com/help/zh/ack/ack-managed-and-ack-dedicated/developer-reference/api-cs-2015-12-15-listclusterkubeconfigstates
     * (the Go model says 10-50; the Java SDK and this page say 1-50).
     */
    private void kubeconfigStates(HttpExchange exchange, String clusterId, Map<String, String> query,
            String requestId) throws IOException {
        FakeCluster cluster = clusters.get(clusterId);
        if (cluster == null) {
            error(exchange, 404, "ErrorClusterNotFound", "cluster " + clusterId + " not found", requestId);
            return;
        }
        int pageSize = intOf(query.get("pageSize"), 10);
        int pageNumber = intOf(query.get("pageNumber"), 1);
        if (pageSize < 1 || pageSize > 50 || pageNumber < 1) {
            error(exchange, 400, "ErrorInvalidParameter", "pageSize must be 1-50 and pageNumber at least 1",
                    requestId);
            return;
        }
        List<Map.Entry<String, X509Certificate>> held = cluster.longTermHolders();
        ObjectNode body = JSON.createObjectNode();
        body.putObject("page").put("page_number", pageNumber).put("page_size", pageSize)
                .put("total_count", held.size());
        ArrayNode states = body.putArray("states");
        Instant now = clock.instant();
        int from = Math.min(held.size(), (pageNumber - 1) * pageSize);
        for (Map.Entry<String, X509Certificate> entry : held.subList(from, Math.min(held.size(), from + pageSize))) {
            Account account = account(entry.getKey());
            Instant notAfter = entry.getValue().getNotAfter().toInstant();
            states.addObject().put("account_id", account.uid()).put("account_name", account.name())
                    .put("account_display_name", account.name()).put("account_state", account.state())
                    .put("account_type", account.type())
                    .put("cert_expire_time", notAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                    .put("cert_state", now.isBefore(notAfter) ? "Unexpired" : "Expired")
                    .put("revokable", !account.type().equals("RootAccount"));
        }
        write(exchange, 200, body);
    }

    /**
     * {@code DELETE /cluster/{ClusterId}/user/{Uid}/permissions?Force=}: the identity's kubeconfigs revoked and its
     * long-term one gone; an empty answer (Source: alibabacloud-go/cs-20151215 client/client.go
     * CleanClusterUserPermissionsWithOptions, BodyType none). Without Force=true ACK "checks the cluster access
     * records within the previous seven days" and refuses if there were any; it refuses the root account and the
     * caller itself (Source: the same SDK's request model and
     * https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/api-cs-2015-12-15-cleanclusteruserpermissions).
     * The error codes of those refusals are not documented: the ones here are this emulator's own, so the function
     * must report ACK's answer rather than match on them.
     */
    private void cleanPermissions(HttpExchange exchange, Identity caller, String clusterId, String uid,
            Map<String, String> query, String requestId) throws IOException {
        FakeCluster cluster = clusters.get(clusterId);
        if (cluster == null) {
            error(exchange, 404, "ErrorClusterNotFound", "cluster " + clusterId + " not found", requestId);
            return;
        }
        if (account(uid).type().equals("RootAccount") || uid.equals(caller.uid())) {
            error(exchange, 400, "StandIn.NotAllowed", "the permissions of the root account or of the caller itself "
                    + "can't be cleaned", requestId);
            return;
        }
        Optional<Instant> accessed = cluster.member().lastAccess(uid);
        if (!"true".equals(query.get("Force")) && accessed.isPresent()
                && accessed.get().isAfter(clock.instant().minus(Duration.ofDays(7)))) {
            error(exchange, 400, "StandIn.RecentlyAccessed", "the user accessed the cluster within the last 7 days",
                    requestId);
            return;
        }
        cluster.clean(uid);
        exchange.sendResponseHeaders(200, -1);
    }

    private static void error(HttpExchange exchange, int status, String code, String message, String requestId)
            throws IOException {
        write(exchange, status, JSON.createObjectNode().put("code", code).put("message", message)
                .put("requestId", requestId));
    }

    private static void write(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> query = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    private static int intOf(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (sts != null) {
            sts.close();
        }
        server.stop(0);
        executor.shutdownNow();
        clusters.values().forEach(FakeCluster::close);
    }

    // ---------------------------------------------------------------- clusters

    /** One ACK cluster: its CA, its member API server, and the certificates issued per identity. */
    public static final class FakeCluster implements AutoCloseable {

        /** A certificate ACK issued, with its key, as a kubeconfig carries them. */
        public record Credential(TestPki.Issued issued, String uid, boolean longTerm) {
            X509Certificate certificate() {
                return issued.certificate();
            }
        }

        private final String clusterId;
        private final String name;
        private final MutableClock clock;
        private final java.util.function.Supplier<Rbac> memberRbac;
        private TestPki.Issued ca;
        private MemberApiServer member;
        private boolean shared;
        private final Map<String, Credential> longTerm = new ConcurrentHashMap<>();
        private final Map<BigInteger, String> issuedTo = new ConcurrentHashMap<>();
        private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
        private volatile String clusterType = "ManagedKubernetes";
        /** The account that owns it (null: any identity sees it, as the single-account tests assume). */
        private volatile String owner;

        /** Only {@code account}'s identities see it from now on. */
        public FakeCluster ownedBy(String account) {
            this.owner = account;
            return this;
        }

        FakeCluster(String clusterId, String name, MutableClock clock, java.util.function.Supplier<Rbac> memberRbac) {
            this.memberRbac = memberRbac;
            this.clusterId = clusterId;
            this.name = name;
            this.clock = clock;
        }

        public String clusterId() {
            return clusterId;
        }

        public String name() {
            return name;
        }

        public String clusterType() {
            return clusterType;
        }

        public FakeCluster withClusterType(String type) {
            this.clusterType = type;
            return this;
        }

        /** Started on first use: a listed-only cluster costs no keys and no server. */
        public synchronized MemberApiServer member() {
            if (member == null) {
                member = new MemberApiServer(ca(), clock, cert -> revoked.contains(cert.getSerialNumber()))
                        .authorizing(memberRbac);
            }
            return member;
        }

        /**
         * The cluster is torn down and re-created behind the same ID and CA: a new API server with a new
         * {@code kube-system} UID. Kubeconfigs issued from now on point at it.
         */
        public synchronized MemberApiServer recreateMember() {
            if (member != null) {
                member.close();
            }
            member = new MemberApiServer(ca(), clock, cert -> revoked.contains(cert.getSerialNumber()))
                    .authorizing(memberRbac);
            return member;
        }

        public synchronized TestPki.Issued ca() {
            if (ca == null) {
                Instant now = Instant.now();
                ca = TestPki.certificateAuthority("kubernetes-" + clusterId, now.minus(Duration.ofDays(4000)),
                        now.plus(Duration.ofDays(7300)));
            }
            return ca;
        }

        /** ACK's rule: the current long-term certificate, or a new one once it is within 180 days of expiry. */
        synchronized Credential longTermCredential(String uid) {
            Credential current = longTerm.get(uid);
            Instant now = clock.instant();
            if (current == null || !now.isBefore(current.certificate().getNotAfter().toInstant().minus(RENEWAL_WINDOW))
                    || revoked.contains(current.certificate().getSerialNumber())) {
                current = issue(uid, now, now.plus(LONG_TERM_VALIDITY), true);
                longTerm.put(uid, current);
            }
            return current;
        }

        Credential temporaryCredential(String uid, Duration validity) {
            Instant now = clock.instant();
            return issue(uid, now, now.plus(validity), false);
        }

        /**
         * Seeds the long-term certificate of {@code uid} so that it expires after {@code remaining} (negative: it
         * already expired), as if issued 3 years before that. Returns its kubeconfig, as a store would hold it.
         */
        public synchronized String seedLongTerm(String uid, Duration remaining, boolean internal) {
            Instant notAfter = clock.instant().plus(remaining);
            Credential credential = issue(uid, notAfter.minus(LONG_TERM_VALIDITY), notAfter, true);
            longTerm.put(uid, credential);
            return kubeconfig(credential, internal);
        }

        public Optional<X509Certificate> currentLongTerm(String uid) {
            return Optional.ofNullable(longTerm.get(uid)).map(Credential::certificate);
        }

        /** RevokeK8sClusterKubeConfig by {@code uid} (as the console or another tool would call it). */
        public synchronized void revokeAll(String uid) {
            issuedTo.forEach((serial, owner) -> {
                if (owner.equals(uid)) {
                    revoked.add(serial);
                }
            });
            Instant now = clock.instant();
            longTerm.put(uid, issue(uid, now, now.plus(LONG_TERM_VALIDITY), true));
        }

        /** Every identity's current long-term certificate, by UID. */
        synchronized List<Map.Entry<String, X509Certificate>> longTermHolders() {
            List<Map.Entry<String, X509Certificate>> held = new ArrayList<>();
            new java.util.TreeMap<>(longTerm).forEach((uid, credential) -> held.add(Map.entry(uid,
                    credential.certificate())));
            return held;
        }

        /** CleanClusterUserPermissions: every certificate of {@code uid} refused, its long-term one gone. */
        synchronized void clean(String uid) {
            issuedTo.forEach((serial, owner) -> {
                if (owner.equals(uid)) {
                    revoked.add(serial);
                }
            });
            longTerm.remove(uid);
        }

        public boolean isRevoked(X509Certificate certificate) {
            return revoked.contains(certificate.getSerialNumber());
        }

        private Credential issue(String uid, Instant notBefore, Instant notAfter, boolean longTermCredential) {
            TestPki.Issued issued = TestPki.clientCertificate(ca(), uid, List.of("system:users"), notBefore, notAfter);
            issuedTo.put(issued.certificate().getSerialNumber(), uid);
            return new Credential(issued, uid, longTermCredential);
        }

        String kubeconfig(Credential credential, boolean internal) {
            URI server = internal ? member().internalUrl() : member().publicUrl();
            return Kubeconfigs.render("kubernetes", server, ca().certificate(), credential.issued(), credential.uid());
        }

        public List<BigInteger> revokedSerials() {
            return Collections.unmodifiableList(new ArrayList<>(revoked));
        }

        @Override
        public synchronized void close() {
            if (member != null && !shared) {
                member.close();
            }
        }
    }
}
