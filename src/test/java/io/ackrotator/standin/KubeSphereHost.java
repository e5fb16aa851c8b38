package io.ackrotator.standin;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A KubeSphere host on the fabric8 CRUD mock: the Cluster CRD, the host's kubesphere-config with its jwtSecret, and
 * Cluster objects for members, shaped as KubeSphere 3.x writes them.
 */
public final class KubeSphereHost {

    public static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("cluster.kubesphere.io").withVersion("v1alpha1").withKind("Cluster").withPlural("clusters")
            .withNamespaced(false).build();

    private final KubernetesClient client;

    public KubeSphereHost(KubernetesClient client) {
        this.client = client;
    }

    /** A KubeSphere 4.x host: kubesphere-config in the 4.x layout and its own Cluster reporting v4.1.2. */
    public KubeSphereHost install4(String jwtSecret) {
        install(jwtSecret);
        // kubesphere release-4.1 config/ks-core/templates/kubesphere-config.yaml: authentication.issuer.jwtSecret
        String yaml = "authentication:\n  issuer:\n    url: http://ks-console\n    jwtSecret: \"" + jwtSecret + "\"\n"
                + "multicluster:\n  clusterRole: host\n";
        client.configMaps().inNamespace("kubesphere-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kubesphere-config").withNamespace("kubesphere-system").endMetadata()
                .addToData("kubesphere.yaml", yaml).build()).createOr(existing -> existing.update());
        GenericKubernetesResource host = cluster("host");
        if (host == null) {
            addHost("host");
            host = cluster("host");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) host.getAdditionalProperties().get("status");
        status.put("kubeSphereVersion", "v4.1.2");
        client.genericKubernetesResources(CLUSTERS).resource(host).update();
        return this;
    }

    public KubeSphereHost install(String jwtSecret) {
        if (client.apiextensions().v1().customResourceDefinitions().withName("clusters.cluster.kubesphere.io")
                .get() == null) {
            client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName("clusters.cluster.kubesphere.io").endMetadata()
                    .withNewSpec().withGroup("cluster.kubesphere.io").withScope("Cluster")
                    .withNewNames().withKind("Cluster").withPlural("clusters").withSingular("cluster")
                    .withListKind("ClusterList").endNames()
                    .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion().endSpec().build()).create();
        }
        setJwtSecret(jwtSecret);
        return this;
    }

    /** The host's jwtSecret in the 3.x layout (ks-installer release-3.4 kubesphere-config.yaml.j2). */
    public void setJwtSecret(String jwtSecret) {
        String yaml = "authentication:\n  authenticateRateLimiterMaxTries: 10\n  jwtSecret: \"" + jwtSecret + "\"\n"
                + "multicluster:\n  clusterRole: host\n";
        client.configMaps().inNamespace("kubesphere-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kubesphere-config").withNamespace("kubesphere-system").endMetadata()
                .addToData("kubesphere.yaml", yaml).build()).createOr(existing -> existing.update());
    }

    /** A member imported by direct connection, as the host's Cluster object holds it. */
    public GenericKubernetesResource addDirectMember(String name, String ackClusterId, String kubeconfig,
            String kubeSystemUid) {
        return create(name, Map.of("ack-kubeconfig-rotator.io/cluster-id", ackClusterId), "direct", kubeconfig,
                kubeSystemUid);
    }

    public GenericKubernetesResource addProxyMember(String name, String ackClusterId) {
        return create(name, Map.of("ack-kubeconfig-rotator.io/cluster-id", ackClusterId), "proxy", null, null);
    }

    /** The host's own Cluster object. */
    public GenericKubernetesResource addHost(String name) {
        return create(name, Map.of("cluster-role.kubesphere.io/host", ""), "direct", null, null);
    }

    public GenericKubernetesResource cluster(String name) {
        return client.genericKubernetesResources(CLUSTERS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    public String kubeconfigOf(String name) {
        Map<String, Object> connection = (Map<String, Object>) ((Map<String, Object>) cluster(name)
                .getAdditionalProperties().get("spec")).get("connection");
        return new String(Base64.getDecoder().decode((String) connection.get("kubeconfig")), StandardCharsets.UTF_8);
    }

    /** Another writer (KubeSphere 4.x renewing it, a person) puts {@code kubeconfig} into the Cluster. */
    @SuppressWarnings("unchecked")
    public void setKubeconfig(String name, String kubeconfig) {
        GenericKubernetesResource cluster = cluster(name);
        Map<String, Object> connection = (Map<String, Object>) ((Map<String, Object>) cluster
                .getAdditionalProperties().get("spec")).get("connection");
        connection.put("kubeconfig", Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
        client.genericKubernetesResources(CLUSTERS).resource(cluster).update();
    }

    private GenericKubernetesResource create(String name, Map<String, String> labels, String type, String kubeconfig,
            String uid) {
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("type", type);
        if (kubeconfig != null) {
            connection.put("kubeconfig", Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
            // KubeSphere's cluster controller fills the proxy target from the kubeconfig when it is empty
            // (kubesphere release-3.4 pkg/controller/cluster/cluster_controller.go; 4.1 also when status.uid changes)
            io.ackrotator.kubeconfig.Kubeconfig.tryParse(kubeconfig).ifPresent(parsed -> connection.put(
                    "kubernetesAPIEndpoint", parsed.server().toString()));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("connection", connection);
        spec.put("joinFederation", true);
        spec.put("enable", true);
        Map<String, Object> status = new LinkedHashMap<>();
        if (uid != null) {
            status.put("uid", uid);
        }
        status.put("conditions", List.of(Map.of("type", "Ready", "status", "True")));
        GenericKubernetesResource cluster = new GenericKubernetesResourceBuilder()
                .withApiVersion("cluster.kubesphere.io/v1alpha1").withKind("Cluster")
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .addToAdditionalProperties("status", status)
                .build();
        return client.genericKubernetesResources(CLUSTERS).resource(cluster).create();
    }
}
