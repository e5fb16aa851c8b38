package io.ackrotator.store;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;

/**
 * A small map of the function's own state kept in one ConfigMap of the store namespace (what people were told,
 * when members were checked), so every FC instance sees the same. Writes are conditional on the version read: two
 * writers can't silently overwrite each other (the loser's write fails with a conflict).
 */
public final class StateConfigMap {

    /** What was read: the data and the version a write must match (null: there was none). */
    public record Snapshot(Map<String, String> data, String resourceVersion) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public StateConfigMap(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    public Snapshot read() {
        ConfigMap stored = ApiAnswers.object(client.configMaps().inNamespace(namespace).withName(name).get(),
                "the " + name + " read");
        return stored == null ? new Snapshot(Map.of(), null)
                : new Snapshot(stored.getData() == null ? Map.of() : Map.copyOf(stored.getData()),
                        stored.getMetadata().getResourceVersion());
    }

    public void write(Snapshot read, Map<String, String> data) {
        ConfigMap next = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withResourceVersion(read.resourceVersion())
                .addToLabels(SecretKubeconfigStore.MANAGED_BY_LABEL, SecretKubeconfigStore.MANAGED_BY)
                .endMetadata().withData(new HashMap<>(data)).build();
        if (read.resourceVersion() == null) {
            client.resource(next).inNamespace(namespace).create();
        } else {
            client.resource(next).inNamespace(namespace).update();
        }
    }
}
