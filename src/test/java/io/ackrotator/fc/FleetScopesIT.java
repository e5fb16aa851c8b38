package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeSts;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One deployment, two accounts × two regions, on the packaged function configured by environment only: each
 * cluster is found in its own account and region, asked for through that account's credentials (the other account's
 * through its role, with the external ID its trust policy asks for) at that region's endpoint, stored and reported as
 * {@code account/region/clusterId}; an account whose role can't be entered fails alone.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FleetScopesIT {

    static final String HOME_ACCOUNT = "1700000000000001";
    static final String PROD_ACCOUNT = "1800000000000002";
    static final String PROD_ROLE = "acs:ram::" + PROD_ACCOUNT + ":role/ack-kubeconfig-rotator";
    static final String PROD_ROLE_UID = "380000000000000042";
    static final String EXTERNAL_ID = "rotator-ext-7f3a9c";

    KubernetesClient client;

    @Test
    void everyAccountAndRegionIsSweptWithItsOwnCredentialsAndNamedByIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeAck hangzhou = FakeAck.start(); FakeAck shanghai = FakeAck.inRegion(hangzhou, "cn-shanghai")) {
            String home = twoAccounts(hangzhou, shanghai);
            Map<String, String> expected = new java.util.TreeMap<>();
            expected.put(add(hangzhou, 1, HOME_ACCOUNT), "home/cn-hangzhou/");
            expected.put(add(shanghai, 2, HOME_ACCOUNT), "home/cn-shanghai/");
            expected.put(add(hangzhou, 3, PROD_ACCOUNT), "prod/cn-hangzhou/");
            expected.put(add(shanghai, 4, PROD_ACCOUNT), "prod/cn-shanghai/");

            Map<String, String> env = environment(hangzhou, shanghai, EXTERNAL_ID);
            try (FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60))) {
                HttpResponse<String> swept = http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers
                        .ofString());
                assertEquals(200, swept.statusCode(), swept.body());
                JsonPath report = SweptFleet.report(swept.body());
                for (Map.Entry<String, String> cluster : expected.entrySet()) {
                    String line = "results.find { it.clusterId == '" + cluster.getKey() + "' }";
                    assertEquals("adopted", report.getString(line + ".action"), report.prettify());
                    assertEquals(cluster.getValue() + cluster.getKey(), report.getString(line + ".cluster"));
                }
                assertEquals(4, report.getList("results").size(), "each cluster once: " + report.prettify());

                assertEquals(Set.of(id(1), id(3)), described(hangzhou), "Hangzhou's endpoint for Hangzhou's clusters");
                assertEquals(Set.of(id(2), id(4)), described(shanghai));
                for (FakeAck region : List.of(hangzhou, shanghai)) {
                    for (FakeAck.Call call : region.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG)) {
                        boolean prod = call.clusterId().equals(id(3)) || call.clusterId().equals(id(4));
                        assertEquals(prod, call.securityToken().isPresent(), "prod through its role's session, home "
                                + "with the function's own key: " + call.clusterId());
                    }
                }
                assertEquals(List.of(EXTERNAL_ID), hangzhou.sts().assumptions().stream()
                        .map(FakeSts.Assumption::externalId).map(id -> id.orElse("-")).distinct().toList(),
                        "the role was entered with its external ID (once per session, not per cluster)");

                SecretKubeconfigStore store = new SecretKubeconfigStore(client, "kubeconfig-rotator");
                assertEquals(Optional.empty(), labels(id(1)), "home in ack.region: stored as before scopes existed");
                assertEquals(Optional.of("home/cn-shanghai"), labels(id(2)));
                assertEquals(Optional.of("prod/cn-hangzhou"), labels(id(3)));
                assertEquals(Optional.of("prod/cn-shanghai"), labels(id(4)));
                assertEquals(PROD_ROLE_UID, Kubeconfig.parse(store.get(ClusterId.of(id(4))).orElseThrow()
                        .kubeconfig()).identity().user(), "prod's kubeconfig is its role's");
                assertEquals(home, Kubeconfig.parse(store.get(ClusterId.of(id(2))).orElseThrow().kubeconfig())
                        .identity().user());

                hangzhou.clearCalls();
                shanghai.clearCalls();
                JsonPath quiet = SweptFleet.report(SweptFleet.sweepUntilLeaseIsFree(function, http).body());
                assertEquals(4, quiet.getInt("summary.ok"), quiet.prettify());
                assertEquals(0, hangzhou.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size()
                        + shanghai.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size(), "nothing due: no kubeconfig "
                        + "asked for in any scope");
            }

            String newHome = add(hangzhou, 5, HOME_ACCOUNT);
            String newProd = add(shanghai, 6, PROD_ACCOUNT);
            try (FunctionProcess function = FunctionProcess.start(environment(hangzhou, shanghai, "a-wrong-id"),
                    Duration.ofSeconds(60))) {
                HttpResponse<String> swept = SweptFleet.sweepUntilLeaseIsFree(function, http);
                assertEquals(200, swept.statusCode(), swept.body());
                JsonPath report = SweptFleet.report(swept.body());
                assertEquals("adopted", report.getString("results.find { it.clusterId == '" + newHome + "' }.action"),
                        "the home account is swept whatever happens to another's role");
                assertEquals(null, report.getString("results.find { it.clusterId == '" + newProd + "' }"),
                        "prod's new cluster can't be seen without its role");
                List<String> warnings = report.getList("warnings");
                assertTrue(warnings.stream().anyMatch(w -> w.startsWith("discovery in prod/cn-shanghai failed")),
                        warnings.toString());
                assertEquals(4, report.getList("results.findAll { it.action == 'ok' }").size(), report.prettify());
            }
        }
    }

    /**
     * The function's identity in the home account; prod's role trusting it with the external ID, its UID bound to
     * the shipped member RBAC in every region (as an operator does there). Answers the home identity's UID.
     */
    static String twoAccounts(FakeAck hangzhou, FakeAck shanghai) {
        String home = hangzhou.defaultIdentity().uid();
        hangzhou.inAccount(home, HOME_ACCOUNT);
        hangzhou.sts().addRole(new FakeSts.Role(PROD_ROLE, PROD_ROLE_UID, Set.of(home), Optional.of(EXTERNAL_ID)));
        hangzhou.bindShippedRbacTo(PROD_ROLE_UID);
        shanghai.bindShippedRbacTo(PROD_ROLE_UID);
        return home;
    }

    static String id(int n) {
        return String.format("c%031x%d", 0xf1ee7, n);
    }

    static String add(FakeAck region, int n, String account) {
        region.addCluster(id(n), "scoped-" + n).ownedBy(account);
        return id(n);
    }

    Map<String, String> environment(FakeAck hangzhou, FakeAck shanghai, String externalId) {
        return environmentFor(client, hangzhou, shanghai, externalId);
    }

    /** The packaged function's environment for two accounts (home, prod) in two regions. */
    Map<String, String> environmentFor(KubernetesClient client, FakeAck hangzhou, FakeAck shanghai,
            String externalId) {
        Map<String, String> env = SweptFleet.environment(hangzhou, client.getMasterUrl().toString());
        env.put("ROTATOR_KUBESPHERE_ENABLED", "false");
        env.put("ACK_REGION", "cn-hangzhou");
        env.put("ROTATOR_REGIONS", "cn-hangzhou,cn-shanghai");
        env.put("ACK_REGION_ENDPOINTS_CN_SHANGHAI", shanghai.endpoint());
        env.put("ROTATOR_ACCOUNTS_PROD_ROLE_ARN", PROD_ROLE);
        env.put("ROTATOR_ACCOUNTS_PROD_EXTERNAL_ID", externalId);
        return env;
    }

    static Set<String> described(FakeAck region) {
        return region.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).stream().map(FakeAck.Call::clusterId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    Optional<String> labels(String clusterId) {
        Secret secret = client.secrets().inNamespace("kubeconfig-rotator").withName(SecretKubeconfigStore.secretName(
                ClusterId.of(clusterId))).get();
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels.containsKey(SecretKubeconfigStore.ACCOUNT_LABEL) ? Optional.of(labels.get(
                SecretKubeconfigStore.ACCOUNT_LABEL) + "/" + labels.get(SecretKubeconfigStore.REGION_LABEL))
                : Optional.empty();
    }
}
