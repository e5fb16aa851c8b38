package io.ackrotator.hygiene;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The member's RoleBindings and ClusterRoleBindings whose {@code User} subject is an Alibaba Cloud identity of a
 * deleted or inactive account. ACK names such a subject after the account's UID, alone or with a timestamp
 * ({@code <uid>} or {@code <uid>-<digits>}; Source: AliyunContainerService/ack-ram-tool
 * pkg/ctl/rbac/binding/binding.go, which matches {@code ^(\d+)(-\d+)?$} on subjects of kind User in API group
 * rbac.authorization.k8s.io). Read-only: what ack-ram-tool's {@code rbac scan-user-permissions} reports for one
 * cluster, here for each.
 */
final class OrphanedBindings {

    private static final Pattern ALIBABA_IDENTITY = Pattern.compile("^(\\d+)(-\\d+)?$");

    private OrphanedBindings() {
    }

    /** {@code accountStates}: account ID to its state, of the deleted and inactive accounts only. */
    static List<BindingFinding> scan(KubernetesClient member, Map<String, String> accountStates) {
        List<BindingFinding> found = new ArrayList<>();
        for (ClusterRoleBinding binding : member.rbac().clusterRoleBindings().list().getItems()) {
            collect(found, "ClusterRoleBinding", null, binding.getMetadata().getName(), binding.getSubjects(),
                    binding.getRoleRef() == null ? null : binding.getRoleRef().getKind() + "/"
                            + binding.getRoleRef().getName(), accountStates);
        }
        for (RoleBinding binding : member.rbac().roleBindings().inAnyNamespace().list().getItems()) {
            collect(found, "RoleBinding", binding.getMetadata().getNamespace(), binding.getMetadata().getName(),
                    binding.getSubjects(), binding.getRoleRef() == null ? null : binding.getRoleRef().getKind() + "/"
                            + binding.getRoleRef().getName(), accountStates);
        }
        return found;
    }

    private static void collect(List<BindingFinding> found, String kind, String namespace, String name,
            List<Subject> subjects, String role, Map<String, String> accountStates) {
        for (Subject subject : subjects == null ? List.<Subject>of() : subjects) {
            accountOf(subject).filter(accountStates::containsKey).ifPresent(account -> found.add(new BindingFinding(
                    kind, namespace, name, subject.getName(), account, accountStates.get(account), role)));
        }
    }

    static Optional<String> accountOf(Subject subject) {
        if (!"User".equals(subject.getKind()) || (subject.getApiGroup() != null
                && !subject.getApiGroup().equals("rbac.authorization.k8s.io")) || subject.getName() == null) {
            return Optional.empty();
        }
        Matcher matcher = ALIBABA_IDENTITY.matcher(subject.getName());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
