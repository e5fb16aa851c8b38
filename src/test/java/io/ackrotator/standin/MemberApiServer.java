package io.ackrotator.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A member cluster's API server: HTTPS with a serving certificate from the cluster CA, and client-certificate
 * authentication as kube-apiserver does it (a certificate not signed by the cluster CA, revoked, or outside its
 * validity by the shared clock gets 401). Serves {@code /version} and namespaces; {@link #serveWrongCertificate}
 * makes it present a certificate for another address, as after an API server IP change.
 */
public final class MemberApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMESPACES = List.of("default", "kube-node-lease", "kube-public", "kube-system",
            "team-a", "team-b");

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(daemon("member-api"));
    private final TestPki.Issued ca;
    private final Clock clock;
    private final Predicate<X509Certificate> revoked;
    private final String kubeSystemUid = UUID.randomUUID().toString();
    private final SwitchableKeyManager keyManager;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<String> forbiddenUsers = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Supplier<Rbac> rbac;
    private final java.util.List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean down;
    private final java.util.Map<String, java.time.Instant> lastAccess = new ConcurrentHashMap<>();
    private final java.util.List<ObjectNode> bindings = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final String RBAC_PATH = "/apis/rbac.authorization.k8s.io/v1";
    private final FaultRules faults = new FaultRules();
    private volatile ObjectNode ksInstaller;
    private volatile ObjectNode kubesphereConfig;
    private int resourceVersion = 1;
    static final String KS_INSTALLER_PATH =
            "/apis/installer.kubesphere.io/v1alpha1/namespaces/kubesphere-system/clusterconfigurations/ks-installer";
    private static final java.util.regex.Pattern NAMESPACED_LIST = java.util.regex.Pattern.compile(
            "/api/v1/namespaces/[a-z0-9-]+/(pods|secrets|configmaps|services)");
    static final String KUBESPHERE_CONFIG_PATH = "/api/v1/namespaces/kubesphere-system/configmaps/kubesphere-config";

    public MemberApiServer(TestPki.Issued ca, Clock clock, Predicate<X509Certificate> revoked) {
        this.ca = ca;
        this.clock = clock;
        this.revoked = revoked;
        // Serving certificates are checked by real TLS stacks against real time, not the emulator clock.
        java.time.Instant now = java.time.Instant.now();
        TestPki.Issued good = TestPki.serverCertificate(ca, List.of("127.0.0.1", "localhost"),
                now.minusSeconds(3600), now.plusSeconds(3650L * 86400));
        TestPki.Issued wrong = TestPki.serverCertificate(ca, List.of("10.255.0.1", "old-apiserver.internal"),
                now.minusSeconds(3600), now.plusSeconds(3650L * 86400));
        this.keyManager = new SwitchableKeyManager(keyManager(good), keyManager(wrong));
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {new AcceptAnyClientCertificate()}, null);
            server = HttpsServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    var parameters = context.getDefaultSSLParameters();
                    parameters.setWantClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The address ACK hands out for public access. */
    public URI publicUrl() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The address for VPC-internal access (same server here, reached by another name on its certificate). */
    public URI internalUrl() {
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    public String kubeSystemUid() {
        return kubeSystemUid;
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public void serveWrongCertificate(boolean wrong) {
        keyManager.useWrong = wrong;
    }

    /** Authenticated but without RBAC: requests by this user get 403. */
    /** Authorizes every authenticated request with this RBAC, as a real API server does; none = allow all. */
    public MemberApiServer authorizing(java.util.function.Supplier<Rbac> rbac) {
        this.rbac = rbac;
        return this;
    }

    /** What RBAC refused so far, in the API server's words. */
    public java.util.List<String> refusals() {
        return java.util.List.copyOf(refusals);
    }

    public void forbid(String user) {
        forbiddenUsers.add(user);
    }

    /** Faults for authenticated requests ("GET", "/api/v1/namespaces" is the connectivity probe). */
    public FaultRules faults() {
        return faults;
    }

    /** Refuses every request with a reset connection. */
    public void setDown(boolean down) {
        this.down = down;
    }

    /**
     * A KubeSphere 3.x member: the ks-installer ClusterConfiguration with this jwtSecret and cluster role, and the
     * running {@code kubesphere-config} ks-installer renders from it (ks-installer release-3.4,
     * roles/ks-core/config/templates/kubesphere-config.yaml.j2: {@code authentication.jwtSecret},
     * {@code multicluster.clusterRole}).
     */
    public synchronized void installKubeSphere(String jwtSecret, String clusterRole) {
        kubesphereConfig = configMap("authentication:\n  authenticateRateLimiterMaxTries: 10\n  jwtSecret: \""
                + jwtSecret + "\"\nmulticluster:\n  clusterRole: " + clusterRole + "\n");
        ObjectNode object = JSON.createObjectNode().put("apiVersion", "installer.kubesphere.io/v1alpha1")
                .put("kind", "ClusterConfiguration");
        object.putObject("metadata").put("name", "ks-installer").put("namespace", "kubesphere-system")
                .put("resourceVersion", Integer.toString(++resourceVersion));
        ObjectNode spec = object.putObject("spec");
        spec.putObject("authentication").put("jwtSecret", jwtSecret);
        spec.putObject("multicluster").put("clusterRole", clusterRole);
        spec.put("persistence", JSON.createObjectNode().put("storageClass", ""));
        ksInstaller = object;
    }

    /**
     * A KubeSphere 4.x member: no ks-installer (the host installs ks-core with Helm), a {@code kubesphere-config} in
     * the 4.x layout (kubesphere release-4.1, config/ks-core/templates/kubesphere-config.yaml:
     * {@code authentication.issuer.jwtSecret}; pkg/multicluster/options.go: {@code multicluster.clusterRole}).
     */
    public synchronized void installKubeSphere4(String jwtSecret, String clusterRole) {
        ksInstaller = null;
        kubesphereConfig = configMap("authentication:\n  issuer:\n    url: http://ks-console\n    jwtSecret: \""
                + jwtSecret + "\"\nmulticluster:\n  clusterRole: " + clusterRole + "\n");
    }

    private ObjectNode configMap(String kubesphereYaml) {
        ObjectNode object = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        object.putObject("metadata").put("name", "kubesphere-config").put("namespace", "kubesphere-system")
                .put("resourceVersion", Integer.toString(++resourceVersion));
        object.putObject("data").put("kubesphere.yaml", kubesphereYaml);
        return object;
    }

    /** The member's running kubesphere.yaml, or null. */
    public synchronized String kubesphereYaml() {
        return kubesphereConfig == null ? null : kubesphereConfig.path("data").path("kubesphere.yaml").asText();
    }

    /** The member's ks-installer as it stands, or null (KubeSphere 4.x has none). */
    public synchronized ObjectNode ksInstaller() {
        return ksInstaller == null ? null : ksInstaller.deepCopy();
    }

    /**
     * When {@code user} (a certificate's CN) last called, on this server's clock: the access record
     * CleanClusterUserPermissions consults.
     */
    public Optional<java.time.Instant> lastAccess(String user) {
        return Optional.ofNullable(lastAccess.get(user));
    }

    /** RoleBindings and ClusterRoleBindings (YAML, "---" separated) listed by the RBAC API; RBAC itself is {@link #authorizing}'s. */
    public MemberApiServer withBindings(String yaml) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
            for (String document : yaml.split("(?m)^---$")) {
                if (!document.isBlank()) {
                    bindings.add((ObjectNode) mapper.readTree(document));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    public int requestCount() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (down) {
                return; // closing without an answer: the client sees the connection drop
            }
            X509Certificate client = clientCertificate((HttpsExchange) exchange);
            if (client == null || !authenticates(client)) {
                status(exchange, 401, "Unauthorized", "Unauthorized");
                return;
            }
            String user = commonName(client.getSubjectX500Principal());
            lastAccess.put(user, clock.instant());
            if (forbiddenUsers.contains(user)) {
                status(exchange, 403, "Forbidden", "User \"" + user + "\" cannot list resource");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            java.util.function.Supplier<Rbac> policy = rbac;
            Optional<String> refusal = policy == null ? Optional.empty() : policy.get().refusal(user,
                    exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery());
            if (refusal.isPresent()) {
                refusals.add(refusal.get());
                status(exchange, 403, "Forbidden", refusal.get());
                return;
            }
            Optional<HttpFault> fault = faults.next(exchange.getRequestMethod(), path);
            if (fault.isPresent()) {
                fault.get().apply(exchange, () -> new HttpFault.Answer(200, "application/json",
                        JSON.writeValueAsBytes(namespace("kube-system"))));
                return;
            }
            if (path.equals(KS_INSTALLER_PATH)) {
                ksInstallerRequest(exchange);
            } else if (path.equals(KUBESPHERE_CONFIG_PATH)) {
                kubesphereConfigRequest(exchange);
            } else if (!exchange.getRequestMethod().equals("GET")) {
                status(exchange, 405, "MethodNotAllowed", "method not allowed");
            } else if (path.equals("/api") || path.equals("/apis") || path.equals("/api/v1")) {
                write(exchange, 200, discovery(path));
            } else if (path.equals(RBAC_PATH + "/clusterrolebindings") || path.equals(RBAC_PATH + "/rolebindings")) {
                String kind = path.endsWith("/clusterrolebindings") ? "ClusterRoleBinding" : "RoleBinding";
                ObjectNode list = JSON.createObjectNode().put("kind", kind + "List")
                        .put("apiVersion", "rbac.authorization.k8s.io/v1");
                list.putObject("metadata").put("resourceVersion", "1");
                ArrayNode items = list.putArray("items");
                bindings.stream().filter(binding -> binding.path("kind").asText().equals(kind)).forEach(items::add);
                write(exchange, 200, list);
            } else if (path.equals("/version")) {
                write(exchange, 200, JSON.createObjectNode().put("major", "1").put("minor", "31")
                        .put("gitVersion", "v1.31.1-aliyun.1"));
            } else if (path.equals("/api/v1/namespaces")) {
                ObjectNode list = JSON.createObjectNode().put("kind", "NamespaceList").put("apiVersion", "v1");
                list.putObject("metadata").put("resourceVersion", "1");
                ArrayNode items = list.putArray("items");
                NAMESPACES.forEach(name -> items.add(namespace(name)));
                write(exchange, 200, list);
            } else if (path.startsWith("/api/v1/namespaces/") && NAMESPACES.contains(path.substring(19))) {
                write(exchange, 200, namespace(path.substring(19)));
            } else if (NAMESPACED_LIST.matcher(path).matches()
                    && NAMESPACES.contains(path.split("/")[4])) {
                // a namespace's objects (none here), for what RBAC lets an identity list: pods, secrets, ...
                String kind = Character.toUpperCase(path.split("/")[5].charAt(0)) + path.split("/")[5].substring(1,
                        path.split("/")[5].length() - 1) + "List";
                ObjectNode list = JSON.createObjectNode().put("kind", kind).put("apiVersion", "v1");
                list.putObject("metadata").put("resourceVersion", "1");
                list.putArray("items");
                write(exchange, 200, list);
            } else {
                status(exchange, 404, "NotFound", "the server could not find the requested resource");
            }
        }
    }

    private synchronized void kubesphereConfigRequest(HttpExchange exchange) throws IOException {
        if (kubesphereConfig == null) {
            status(exchange, 404, "NotFound", "configmaps \"kubesphere-config\" not found");
            return;
        }
        kubesphereConfig = objectRequest(exchange, kubesphereConfig);
    }

    /** GET, or a PUT conditional on the resourceVersion (409 otherwise), as an API server serves one object. */
    private ObjectNode objectRequest(HttpExchange exchange, ObjectNode current) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> write(exchange, 200, current);
            case "PUT" -> {
                ObjectNode sent = (ObjectNode) JSON.readTree(exchange.getRequestBody());
                String sentVersion = sent.path("metadata").path("resourceVersion").asText("");
                if (!sentVersion.equals(current.path("metadata").path("resourceVersion").asText())) {
                    status(exchange, 409, "Conflict", "the object has been modified; please apply your changes to "
                            + "the latest version and try again");
                    return current;
                }
                ((ObjectNode) sent.get("metadata")).put("resourceVersion", Integer.toString(++resourceVersion));
                write(exchange, 200, sent);
                return sent;
            }
            default -> status(exchange, 405, "MethodNotAllowed", "method not allowed");
        }
        return current;
    }

    private synchronized void ksInstallerRequest(HttpExchange exchange) throws IOException {
        if (ksInstaller == null) {
            status(exchange, 404, "NotFound", "clusterconfigurations.installer.kubesphere.io \"ks-installer\" not found");
            return;
        }
        ksInstaller = objectRequest(exchange, ksInstaller);
    }

    /**
     * Legacy API discovery, what kubectl reads before a request ("The Kubernetes API: discovery",
     * https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api): /api lists the core versions, /apis
     * the groups (none here), /api/v1 the core resources served. A plain JSON answer makes client-go fall back from
     * aggregated discovery.
     */
    private static ObjectNode discovery(String path) {
        ObjectNode answer = JSON.createObjectNode();
        switch (path) {
            case "/api" -> {
                answer.put("kind", "APIVersions").putArray("versions").add("v1");
                answer.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                        .put("serverAddress", "127.0.0.1:6443");
            }
            case "/apis" -> answer.put("kind", "APIGroupList").put("apiVersion", "v1").putArray("groups");
            default -> {
                answer.put("kind", "APIResourceList").put("groupVersion", "v1");
                ArrayNode resources = answer.putArray("resources");
                for (String[] resource : new String[][] {{"namespaces", "Namespace", "false", "ns"},
                        {"pods", "Pod", "true", "po"}, {"secrets", "Secret", "true", ""},
                        {"configmaps", "ConfigMap", "true", "cm"}, {"services", "Service", "true", "svc"}}) {
                    ObjectNode entry = resources.addObject().put("name", resource[0])
                            .put("singularName", resource[1].toLowerCase()).put("namespaced",
                                    Boolean.parseBoolean(resource[2])).put("kind", resource[1]);
                    entry.putArray("verbs").add("get").add("list");
                    if (!resource[3].isEmpty()) {
                        entry.putArray("shortNames").add(resource[3]);
                    }
                }
            }
        }
        return answer;
    }

    private ObjectNode namespace(String name) {
        ObjectNode namespace = JSON.createObjectNode().put("kind", "Namespace").put("apiVersion", "v1");
        namespace.putObject("metadata").put("name", name)
                .put("uid", name.equals("kube-system") ? kubeSystemUid : UUID.nameUUIDFromBytes(
                        (kubeSystemUid + name).getBytes(StandardCharsets.UTF_8)).toString());
        namespace.putObject("status").put("phase", "Active");
        return namespace;
    }

    private boolean authenticates(X509Certificate client) {
        try {
            client.verify(ca.certificate().getPublicKey());
            client.checkValidity(java.util.Date.from(clock.instant()));
            return !revoked.test(client);
        } catch (Exception e) {
            return false;
        }
    }

    private static X509Certificate clientCertificate(HttpsExchange exchange) {
        try {
            Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
            return chain.length > 0 ? (X509Certificate) chain[0] : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static String commonName(Principal principal) {
        for (String part : principal.getName().split(",")) {
            if (part.trim().startsWith("CN=")) {
                return part.trim().substring(3);
            }
        }
        return "";
    }

    private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        write(exchange, code, JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("message", message).put("reason", reason).put("code", code));
    }

    private static void write(HttpExchange exchange, int code, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static X509ExtendedKeyManager keyManager(TestPki.Issued serving) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", serving.key(), new char[0], new Certificate[] {serving.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Presents the right or the wrong serving certificate, decided per handshake. */
    private static final class SwitchableKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager good;
        private final X509ExtendedKeyManager wrong;
        private volatile boolean useWrong;

        SwitchableKeyManager(X509ExtendedKeyManager good, X509ExtendedKeyManager wrong) {
            this.good = good;
            this.wrong = wrong;
        }

        private X509ExtendedKeyManager current() {
            return useWrong ? wrong : good;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return current().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return current().getPrivateKey(alias);
        }
    }

    /**
     * TLS asks for a client certificate but lets authentication happen per request, where a bad one gets a 401 as
     * kube-apiserver answers it.
     */
    private static final class AcceptAnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
