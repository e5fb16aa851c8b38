package io.ackrotator.standin;

import java.util.Map;

/**
 * The stand-ins one Quarkus test run shares: one clock, one ACK emulator. The function under test is configured
 * against them exactly as a user configures it against the cloud (endpoint, credentials, nothing else).
 */
public final class StandIns {

    public static final MutableClock CLOCK = MutableClock.startingNow();
    public static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";
    /** Prometheus' scrape token: /metrics and nothing else. */
    public static final String METRICS_TOKEN = "metrics-token-5a7c9e1b3d5f7a9c1e3b";
    /** Caller 'ci': any cluster, default bounds. */
    public static final String CI_TOKEN = "ci-token-7f3a9c0e5b2d4f6a8c1e3b5d7f9a0c2e";
    /** Caller 'team-a': one cluster (TEAM_A_CLUSTER), at most 4 hours. */
    public static final String TEAM_A_TOKEN = "team-a-token-1b3d5f7a9c0e2b4d6f8a0c1e3b5d7f9a";
    public static final String TEAM_A_CLUSTER = "c7eaa000000000000000000000000000a";
    /** Caller 'burst': any cluster, 3 per hour. */
    public static final String BURST_TOKEN = "burst-token-2c4e6a8b0d1f3a5c7e9b0d2f4a6c8e1b";
    /** Caller 'load': any cluster, a limit high enough for the load test. */
    public static final String LOAD_TOKEN = "load-token-9e7c5a3f1d0b8e6c4a2f0d9b7e5c3a1f";
    /** The one cluster whose kubeconfigs may set insecure-skip-tls-verify (rotator.insecure-tls-allowed). */
    public static final String INSECURE_ALLOWED_CLUSTER = "c1nsecure0a11owed00000000000000001";
    private static FakeAck ack;
    private static OidcIssuers oidc;
    private static NotificationReceivers notifications;

    /** Where every test function's notifications go (a DingTalk robot and a webhook receiver). */
    public static synchronized NotificationReceivers notifications() {
        if (notifications == null) {
            notifications = new NotificationReceivers();
        }
        return notifications;
    }
    private static FakeEventBridge eventBridge;

    /** Where every test function's CloudEvents go: EventBridge, checking our keys as it does. */
    public static synchronized FakeEventBridge eventBridge() {
        if (eventBridge == null) {
            eventBridge = new FakeEventBridge(key -> java.util.Optional.ofNullable(ack().identity(key)));
        }
        return eventBridge;
    }

    /** The audience the OIDC callers' jobs ask their CI for. */
    public static final String OIDC_AUDIENCE = "ack-kubeconfig-rotator";
    /** Caller 'deploy': a GitHub Actions workflow of octo-org/deploy on main, by OIDC ID token only. */
    public static final Map<String, Object> DEPLOY_JOB = Map.of("sub", "repo:octo-org/deploy:ref:refs/heads/main",
            "repository", "octo-org/deploy", "repository_id", "74", "ref", "refs/heads/main", "ref_type", "branch");
    /** Caller 'gitlab-infra': a GitLab CI job of platform/infra on a protected branch (ref_protected is a string). */
    public static final Map<String, Object> GITLAB_JOB = Map.of(
            "sub", "project_path:platform/infra:ref_type:branch:ref:main", "project_path", "platform/infra",
            "ref", "main", "ref_type", "branch", "ref_protected", "true");

    private StandIns() {
    }

    /** Caller 'ci''s RAM role: lists namespaces everywhere, pods in team-a, nothing else. */
    public static final String CI_ROLE = "acs:ram::1234567890123456:role/ci-deployer";
    public static final String CI_ROLE_UID = "344584339364951001";
    /** Caller 'team-a''s RAM role: pods in team-a only. */
    public static final String TEAM_A_ROLE = "acs:ram::1234567890123456:role/team-a-dev";
    public static final String TEAM_A_ROLE_UID = "344584339364951002";
    /** Caller 'deploy''s RAM role: pods in team-b only. */
    public static final String DEPLOY_ROLE = "acs:ram::1234567890123456:role/octo-deploy";
    public static final String DEPLOY_ROLE_UID = "344584339364951003";

    /** The CI systems' OIDC issuers: {@code github} and {@code gitlab}; others for tests that need their own. */
    public static synchronized OidcIssuers oidc() {
        if (oidc == null) {
            oidc = new OidcIssuers();
        }
        return oidc;
    }

    public static synchronized FakeAck ack() {
        if (ack == null) {
            ack = new FakeAck(CLOCK);
            String function = ack.defaultIdentity().uid();
            ack.sts().addRole(new FakeSts.Role(CI_ROLE, CI_ROLE_UID, java.util.Set.of(function)))
                    .addRole(new FakeSts.Role(TEAM_A_ROLE, TEAM_A_ROLE_UID, java.util.Set.of(function)))
                    .addRole(new FakeSts.Role(DEPLOY_ROLE, DEPLOY_ROLE_UID, java.util.Set.of(function)));
            ack.grantOnMembers(roleGrants());
        }
        return ack;
    }

    /**
     * The callers' roles' RBAC on every member, as an ACK RBAC grant to each role would make it (Source: ACK's
     * GrantPermissions, https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/api-cs-2015-12-15-grantpermissions:
     * a role's grant becomes a (Cluster)RoleBinding to that role's UID).
     */
    public static String roleGrants() {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: ci-namespaces}
                rules:
                  - {apiGroups: [""], resources: ["namespaces"], verbs: ["list", "get"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: ci-namespaces}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ci-namespaces}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "%s"}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: pods-reader, namespace: team-a}
                rules:
                  - {apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: pods-reader, namespace: team-a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods-reader}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: "%s"}
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: "%s"}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: pods-reader, namespace: team-b}
                rules:
                  - {apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: pods-reader, namespace: team-b}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods-reader}
                subjects:
                  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: "%s"}
                """.formatted(CI_ROLE_UID, CI_ROLE_UID, TEAM_A_ROLE_UID, DEPLOY_ROLE_UID);
    }

    public static Map<String, String> functionConfig() {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "ack.endpoint", ack().endpoint(),
                "ack.protocol", "http",
                "ack.region", "cn-hangzhou",
                "ack.credentials.access-key-id", FakeAck.DEFAULT_AK,
                "ack.credentials.access-key-secret", FakeAck.DEFAULT_SECRET,
                "ack.sts.endpoint", ack().sts().endpoint(),
                "rotator.admin.token-sha256", sha256Hex(ADMIN_TOKEN)));
        config.put("rotator.insecure-tls-allowed", INSECURE_ALLOWED_CLUSTER);
        config.put("rotator.metrics.token-sha256", sha256Hex(METRICS_TOKEN));
        config.put("rotator.notify.dingtalk.url", notifications().dingtalkUrl());
        config.put("rotator.notify.dingtalk.secret", NotificationReceivers.DINGTALK_SECRET);
        config.put("rotator.notify.webhook.url", notifications().webhookUrl());
        config.put("rotator.notify.webhook.secret", NotificationReceivers.WEBHOOK_SECRET);
        config.put("rotator.notify.eventbridge.bus", FakeEventBridge.BUS);
        config.put("rotator.notify.eventbridge.endpoint", eventBridge().endpoint());
        config.put("rotator.notify.attempts", "2");
        // One process plays both faces here: events at /invoke (as the event function) and the HTTP functions.
        config.put("rotator.face", "event");
        config.put("rotator.issue.callers.ci.token-sha256", sha256Hex(CI_TOKEN));
        config.put("rotator.issue.callers.ci.clusters", "*");
        config.put("rotator.issue.callers.ci.ram-role-arn", CI_ROLE);
        config.put("rotator.issue.callers.team-a.token-sha256", sha256Hex(TEAM_A_TOKEN));
        config.put("rotator.issue.callers.team-a.clusters", TEAM_A_CLUSTER);
        config.put("rotator.issue.callers.team-a.max-validity", "PT4H");
        config.put("rotator.issue.callers.team-a.ram-role-arn", TEAM_A_ROLE);
        config.put("rotator.issue.callers.load.token-sha256", sha256Hex(LOAD_TOKEN));
        config.put("rotator.issue.callers.load.clusters", "*");
        config.put("rotator.issue.callers.load.max-per-hour", "1000000");
        config.put("rotator.issue.callers.load.identity", "function");
        config.put("rotator.issue.callers.burst.token-sha256", sha256Hex(BURST_TOKEN));
        config.put("rotator.issue.callers.burst.clusters", "*");
        config.put("rotator.issue.callers.burst.max-per-hour", "3");
        config.put("rotator.issue.callers.burst.identity", "function");
        oidcCaller(config, "deploy", oidc().issuer("github"), DEPLOY_JOB, "repository", "ref");
        config.put("rotator.issue.callers.deploy.ram-role-arn", DEPLOY_ROLE);
        oidcCaller(config, "gitlab-infra", oidc().issuer("gitlab"), GITLAB_JOB, "project_path", "ref_protected");
        config.put("rotator.issue.callers.gitlab-infra.ram-role-arn", CI_ROLE);
        return config;
    }

    /** An OIDC caller of any cluster whose tokens must carry the job's values of {@code claims}. */
    static void oidcCaller(Map<String, String> config, String name, OidcIssuers.Issuer issuer, Map<String, Object> job,
            String... claims) {
        String prefix = "rotator.issue.callers." + name + ".";
        config.put(prefix + "clusters", "*");
        config.put(prefix + "oidc.issuer", issuer.url());
        config.put(prefix + "oidc.audience", OIDC_AUDIENCE);
        config.put(prefix + "oidc.claims", java.util.Arrays.stream(claims).map(claim -> claim + "=" + job.get(claim))
                .collect(java.util.stream.Collectors.joining(",")));
        config.put(prefix + "oidc.ca-file", oidc().caFile().toString());
    }

    /**
     * The environment of the packaged function pointed at these stand-ins, as a user points it at the cloud: ACK
     * credentials and endpoint, and the host cluster's API server. Mutable, for each caller's additions.
     */
    public static Map<String, String> packagedFunctionEnvironment(FakeAck ack, String kubernetesUrl) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", FakeAck.DEFAULT_AK);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", FakeAck.DEFAULT_SECRET);
        env.put("ACK_ENDPOINT", ack.endpoint());
        env.put("ACK_STS_ENDPOINT", ack.sts().endpoint());
        env.put("ACK_PROTOCOL", "http");
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", kubernetesUrl);
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        env.put("ROTATOR_FACE", "event");
        return env;
    }

    public static String sha256Hex(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
