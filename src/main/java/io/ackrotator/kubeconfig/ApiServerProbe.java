package io.ackrotator.kubeconfig;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Talks to a cluster's API server with exactly the credentials of one kubeconfig, TLS verified against that
 * kubeconfig's CA. This is the "kubectl get namespaces" proof that a kubeconfig works.
 */
public class ApiServerProbe {

    private final Duration timeout;

    public ApiServerProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** Lists namespaces and reads the kube-system UID. */
    public ApiServerIdentity probe(Kubeconfig kubeconfig, boolean allowInsecure) {
        return withClient(kubeconfig, allowInsecure, client -> {
            List<Namespace> namespaces = ApiAnswers.list(client.namespaces().list(), "the namespace list").getItems();
            String uid = namespaces.stream()
                    .filter(ns -> "kube-system".equals(ns.getMetadata().getName()))
                    .map(ns -> ns.getMetadata().getUid())
                    .findFirst()
                    .orElseThrow(() -> new ApiServerException(ApiServerException.Kind.ERROR,
                            "API server " + kubeconfig.serverHost() + " lists no kube-system namespace"));
            return new ApiServerIdentity(uid, namespaces.stream().map(ns -> ns.getMetadata().getName()).toList());
        });
    }

    public ApiServerIdentity probe(Kubeconfig kubeconfig) {
        return probe(kubeconfig, false);
    }

    /** Runs {@code action} with a client built from the kubeconfig; failures become {@link ApiServerException}s. */
    public <T> T withClient(Kubeconfig kubeconfig, boolean allowInsecure, Function<KubernetesClient, T> action) {
        if (kubeconfig.insecureSkipTlsVerify() && !allowInsecure) {
            throw new ApiServerException(ApiServerException.Kind.INSECURE_REFUSED, "kubeconfig for "
                    + kubeconfig.serverHost() + " sets insecure-skip-tls-verify; refused (TLS verification stays on)");
        }
        try (KubernetesClient client = KubeconfigClients.open(kubeconfig, timeout)) {
            return action.apply(client);
        } catch (ApiServerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw classify(kubeconfig.server().getHost(), e);
        }
    }

    static ApiServerException classify(String host, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("no subject alternative") || message.contains("no name matching")) {
                return new ApiServerException(ApiServerException.Kind.TLS_NAME_MISMATCH, "API server certificate is "
                        + "not valid for " + host + ": the API server address changed; re-issue the kubeconfig "
                        + "for the new address");
            }
            if (message.contains("pkix path") || message.contains("unable to find valid certification path")) {
                return new ApiServerException(ApiServerException.Kind.TLS_UNTRUSTED, "API server certificate of "
                        + host + " is not signed by the kubeconfig's certificate authority");
            }
            if (message.contains("bad_certificate") || message.contains("certificate_required")
                    || message.contains("certificate_unknown") || message.contains("certificate_expired")
                    || message.contains("certificate_revoked")) {
                return new ApiServerException(ApiServerException.Kind.UNAUTHORIZED, "API server " + host
                        + " rejected the client certificate");
            }
            if (t instanceof KubernetesClientException k && k.getCode() == 401) {
                return new ApiServerException(ApiServerException.Kind.UNAUTHORIZED, "API server " + host
                        + " answered 401 Unauthorized: the client certificate is not accepted");
            }
            if (t instanceof KubernetesClientException k && k.getCode() == 403) {
                return new ApiServerException(ApiServerException.Kind.FORBIDDEN, "API server " + host
                        + " answered 403 Forbidden: the identity lacks RBAC permission");
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                    || t instanceof TimeoutException || message.contains("connection refused")
                    || message.contains("timed out") || message.contains("timeout")) {
                return new ApiServerException(ApiServerException.Kind.UNREACHABLE, "API server " + host
                        + " is unreachable (" + t.getClass().getSimpleName() + ")");
            }
        }
        String what = failure instanceof KubernetesClientException k ? ApiAnswers.describe(k)
                : failure.getClass().getSimpleName();
        return new ApiServerException(ApiServerException.Kind.ERROR, "API server " + host + " call failed (" + what
                + ")");
    }
}
