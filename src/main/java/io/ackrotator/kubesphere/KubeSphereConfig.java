package io.ackrotator.kubesphere;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

@ConfigMapping(prefix = "rotator.kubesphere")
public interface KubeSphereConfig {

    /** Re-sync KubeSphere members after rotations, and offer the resync function. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Members by KubeSphere name, for Cluster objects without the {@code ack-kubeconfig-rotator.io/cluster-id}
     * label: {@code rotator.kubesphere.members.<kubesphere-name>=<ack-cluster-id>}.
     */
    Map<String, String> members();

    /** Namespace for Events about (cluster-scoped) Cluster objects. */
    @WithDefault("default")
    String eventsNamespace();
}
