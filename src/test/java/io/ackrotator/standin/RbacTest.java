package io.ackrotator.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The RBAC evaluation of the stand-ins follows Kubernetes' rules (Source: https://github.com/kubernetes/kubernetes
 * plugin/pkg/auth/authorizer/rbac and pkg/apis/rbac/v1/evaluation_helpers.go; more in {@link Rbac}).
 */
class RbacTest {

    static Rbac rbac(String yaml) throws IOException {
        Path file = Files.createTempFile("rbac", ".yaml");
        Files.writeString(file, yaml);
        return Rbac.load(List.of(file), "USER", "alice");
    }

    static final String MANIFEST = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: store, namespace: store}
            rules:
              - apiGroups: [""]
                resources: ["secrets"]
                verbs: ["get", "create"]
              - apiGroups: [""]
                resources: ["configmaps"]
                resourceNames: ["one"]
                verbs: ["get", "update", "create"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: store, namespace: store}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: store}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: USER}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            rules:
              - apiGroups: ["cluster.kubesphere.io"]
                resources: ["clusters", "clusters/status"]
                verbs: ["list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: reader-in-apps, namespace: apps}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: USER}]
            """;

    @Test
    void rulesMatchVerbGroupResourceNameAndNamespace() throws IOException {
        Rbac rbac = rbac(MANIFEST);
        assertTrue(rbac.refusal("alice", "GET", "/api/v1/namespaces/store/secrets/s1", null).isEmpty());
        assertTrue(rbac.refusal("alice", "POST", "/api/v1/namespaces/store/secrets", null).isEmpty());
        assertEquals(Optional.of("secrets \"s1\" is forbidden: User \"alice\" cannot update resource \"secrets\" in "
                + "API group \"\" in the namespace \"store\""),
                rbac.refusal("alice", "PUT", "/api/v1/namespaces/store/secrets/s1", null), "no update granted");
        assertTrue(rbac.refusal("alice", "GET", "/api/v1/namespaces/other/secrets/s1", null).isPresent(),
                "a RoleBinding holds in its namespace only");
        assertTrue(rbac.refusal("bob", "GET", "/api/v1/namespaces/store/secrets/s1", null).isPresent(),
                "deny by default");
        assertTrue(rbac.refusal("alice", "GET", "/version", null).isEmpty(), "discovery is open");
    }

    @Test
    void resourceNamesNeverMatchACreateOrAList() throws IOException {
        Rbac rbac = rbac(MANIFEST);
        assertTrue(rbac.refusal("alice", "PUT", "/api/v1/namespaces/store/configmaps/one", null).isEmpty());
        assertTrue(rbac.refusal("alice", "PUT", "/api/v1/namespaces/store/configmaps/two", null).isPresent());
        assertTrue(rbac.refusal("alice", "POST", "/api/v1/namespaces/store/configmaps", null).isPresent(),
                "a create has no name, so a rule with resourceNames can't allow it");
        assertTrue(rbac.refusal("alice", "GET", "/api/v1/namespaces/store/configmaps", null).isPresent());
    }

    @Test
    void aClusterRoleBoundByARoleBindingAndSubresources() throws IOException {
        Rbac rbac = rbac(MANIFEST);
        assertTrue(rbac.refusal("alice", "GET", "/apis/cluster.kubesphere.io/v1alpha1/namespaces/apps/clusters",
                null).isEmpty());
        assertTrue(rbac.refusal("alice", "GET", "/apis/cluster.kubesphere.io/v1alpha1/clusters", null).isPresent(),
                "a ClusterRole bound in a namespace grants nothing cluster-wide");
        assertFalse(Rbac.Request.of("PATCH", "/apis/coordination.k8s.io/v1/namespaces/n/leases/l", null)
                .orElseThrow().verb().equals("update"), "a PATCH is a patch, which update does not cover");
        assertEquals("watch", Rbac.Request.of("GET", "/api/v1/namespaces/n/secrets", "watch=true").orElseThrow()
                .verb());
        assertEquals("get", Rbac.Request.of("GET", "/api/v1/namespaces/kube-system", null).orElseThrow().verb());
        assertEquals("namespaces", Rbac.Request.of("GET", "/api/v1/namespaces/kube-system", null).orElseThrow()
                .resource());
    }
}
