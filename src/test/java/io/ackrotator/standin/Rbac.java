package io.ackrotator.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes RBAC evaluated the way the API server's authorizer does, for the Roles, ClusterRoles and bindings of a
 * manifest (the shipped deploy/fc/*-rbac.yaml): deny unless a rule of a role bound to the user allows the request.
 *
 * <p>Source: https://github.com/kubernetes/kubernetes ({@code plugin/pkg/auth/authorizer/rbac/rbac.go} (a ClusterRoleBinding's rules
 * apply everywhere, a RoleBinding's only in its namespace, whether it binds a Role or a ClusterRole) and
 * {@code pkg/apis/rbac/v1/evaluation_helpers.go} ({@code RuleAllows}: verb, API group and resource each match or are
 * {@code *}; a subresource is matched as {@code resource/subresource}; {@code resourceNames}, when given, must contain
 * the request's name, so a request without a name, a create or a list, never matches such a rule). Request
 * attributes as {@code staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go} derives them from the path
 * and method (GET of a name = get, GET of a collection = list or watch, POST = create, PUT = update, PATCH = patch,
 * DELETE = delete or deletecollection); non-resource paths ({@code /version}, {@code /api}, {@code /apis}) are open to
 * every authenticated user, as the default {@code system:discovery} binding makes them.
 */
public final class Rbac {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** What a request asks to do, as the authorizer sees it. */
    public record Request(String verb, String apiGroup, String resource, String subresource, String namespace,
            String name) {

        /** The attributes of an API request, or empty for a non-resource path. */
        public static Optional<Request> of(String method, String path, String query) {
            String[] parts = path.replaceAll("^/+|/+$", "").split("/");
            int at;
            String group;
            if (parts.length >= 2 && parts[0].equals("api")) {
                group = "";
                at = 2;
            } else if (parts.length >= 3 && parts[0].equals("apis")) {
                group = parts[1];
                at = 3;
            } else {
                return Optional.empty();
            }
            if (parts.length <= at) {
                return Optional.empty(); // discovery of a group version
            }
            String namespace = "";
            if (parts[at].equals("namespaces") && parts.length > at + 2) {
                namespace = parts[at + 1];
                at += 2;
            }
            String resource = parts[at];
            String name = parts.length > at + 1 ? parts[at + 1] : "";
            String subresource = parts.length > at + 2 ? parts[at + 2] : "";
            if (resource.equals("namespaces") && !namespace.isEmpty() && name.isEmpty()) {
                // /api/v1/namespaces/{name}: the namespace object itself
                name = namespace;
                namespace = "";
            }
            boolean watch = query != null && query.contains("watch=true");
            String verb = switch (method) {
                case "GET", "HEAD" -> name.isEmpty() ? (watch ? "watch" : "list") : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
                default -> method.toLowerCase(java.util.Locale.ROOT);
            };
            return Optional.of(new Request(verb, group, resource, subresource, namespace, name));
        }

        String describe(String user) {
            return (name.isEmpty() ? resource : resource + " \"" + name + "\"") + " is forbidden: User \"" + user
                    + "\" cannot " + verb + " resource \"" + resource + (subresource.isEmpty() ? "" : "/"
                    + subresource) + "\" in API group \"" + apiGroup + "\""
                    + (namespace.isEmpty() ? " at the cluster scope" : " in the namespace \"" + namespace + "\"");
        }
    }

    private record Rule(List<String> apiGroups, List<String> resources, List<String> resourceNames,
            List<String> verbs) {

        boolean allows(Request request) {
            String resource = request.subresource().isEmpty() ? request.resource()
                    : request.resource() + "/" + request.subresource();
            return matches(verbs, request.verb()) && matches(apiGroups, request.apiGroup())
                    && matches(resources, resource)
                    && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
        }

        private static boolean matches(List<String> allowed, String value) {
            return allowed.contains("*") || allowed.contains(value);
        }
    }

    /** A binding: who, which role (Role in its namespace, or ClusterRole), and where ("" = everywhere). */
    private record Binding(List<String> users, String roleKind, String roleName, String namespace) {
    }

    private final Map<String, List<Rule>> roles = new java.util.HashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    private String placeholder;
    private List<String> placeholderUsers = List.of();

    private Rbac() {
    }

    /** Changes a rule as it is loaded: to prove a rule is needed, a test takes part of it away. */
    @FunctionalInterface
    public interface RuleEditor {
        /** {@code role} is "Kind namespace/name" ("ClusterRole /name" for a ClusterRole). */
        JsonNode edit(String role, int index, JsonNode rule);
    }

    /** The RBAC of these manifests, the subject {@code placeholder} standing for {@code user}. */
    public static Rbac load(List<Path> manifests, String placeholder, String user) {
        return load(manifests, placeholder, List.of(user), (role, index, rule) -> rule);
    }

    /** The same, each rule passed through {@code editor} first. */
    public static Rbac load(List<Path> manifests, String placeholder, String user, RuleEditor editor) {
        return load(manifests, placeholder, List.of(user), editor);
    }

    /** The subject {@code placeholder} standing for each of {@code users} (several identities, one manifest). */
    public static Rbac load(List<Path> manifests, String placeholder, List<String> users, RuleEditor editor) {
        return load(manifests, List.of(), placeholder, users, editor);
    }

    /** The same, plus RBAC documents given as text (a test's own grants to other identities). */
    public static Rbac load(List<Path> manifests, List<String> more, String placeholder, List<String> users,
            RuleEditor editor) {
        Rbac rbac = new Rbac();
        rbac.placeholder = placeholder;
        rbac.placeholderUsers = List.copyOf(users);
        List<String> texts = new ArrayList<>();
        for (Path manifest : manifests) {
            try {
                texts.add(Files.readString(manifest));
            } catch (IOException e) {
                throw new IllegalStateException(manifest + ": " + e.getMessage(), e);
            }
        }
        texts.addAll(more);
        for (String text : texts) {
            try (var documents = YAML.readerFor(JsonNode.class).readValues(text)) {
                while (documents.hasNext()) {
                    rbac.add((JsonNode) documents.next(), editor);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return rbac;
    }

    private void add(JsonNode document, RuleEditor editor) {
        String kind = document.path("kind").asText();
        String namespace = document.at("/metadata/namespace").asText("");
        String name = document.at("/metadata/name").asText();
        switch (kind) {
            case "Role", "ClusterRole" -> {
                List<Rule> rules = new ArrayList<>();
                int index = 0;
                for (JsonNode original : document.path("rules")) {
                    JsonNode rule = editor.edit(kind + " " + namespace + "/" + name, index++, original);
                    rules.add(new Rule(texts(rule.path("apiGroups")), texts(rule.path("resources")),
                            texts(rule.path("resourceNames")), texts(rule.path("verbs"))));
                }
                roles.put(kind + "/" + (kind.equals("Role") ? namespace + "/" : "") + name, rules);
            }
            case "RoleBinding", "ClusterRoleBinding" -> {
                List<String> users = new ArrayList<>();
                for (JsonNode subject : document.path("subjects")) {
                    if (subject.path("kind").asText().equals("User")) {
                        String subjectName = subject.path("name").asText();
                        if (subjectName.equals(placeholder)) {
                            users.addAll(placeholderUsers);
                        } else {
                            users.add(subjectName);
                        }
                    }
                }
                bindings.add(new Binding(users, document.at("/roleRef/kind").asText(),
                        document.at("/roleRef/name").asText(), kind.equals("RoleBinding") ? namespace : ""));
            }
            default -> {
                // Namespaces and other objects of the manifest carry no permissions
            }
        }
    }

    public boolean allows(String user, Request request) {
        for (Binding binding : bindings) {
            if (!binding.users().contains(user)) {
                continue;
            }
            if (!binding.namespace().isEmpty() && !binding.namespace().equals(request.namespace())) {
                continue;
            }
            String key = binding.roleKind().equals("Role") ? "Role/" + binding.namespace() + "/" + binding.roleName()
                    : "ClusterRole/" + binding.roleName();
            if (roles.getOrDefault(key, List.of()).stream().anyMatch(rule -> rule.allows(request))) {
                return true;
            }
        }
        return false;
    }

    /** Why a request is refused, in the API server's words, or empty when it is allowed. */
    public Optional<String> refusal(String user, String method, String path, String query) {
        Optional<Request> request = Request.of(method, path, query);
        if (request.isEmpty() || allows(user, request.get())) {
            return Optional.empty();
        }
        return Optional.of(request.get().describe(user));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
