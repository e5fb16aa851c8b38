package io.ackrotator.kubeconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Talks to a cluster's API server with exactly the credentials of one kubeconfig, TLS verified against that
 * kubeconfig's CA. This is the "kubectl get namespaces" proof that a kubeconfig works.
 */
public class ApiServerProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One instance: the JDK reuses a kept-alive connection only for the same hostname verifier. */
    private static final HostnameVerifier TRUST_ANY_NAME = (name, session) -> true;

    private final Duration timeout;

    public ApiServerProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Lists namespaces and reads the kube-system UID: one HTTPS GET with the kubeconfig's own TLS identity. A plain
     * connection rather than a fabric8 client: a sweep makes one per cluster, and building a client costs three times
     * the request.
     */
    public ApiServerIdentity probe(Kubeconfig kubeconfig, boolean allowInsecure) {
        refuseInsecure(kubeconfig, allowInsecure);
        HttpsURLConnection connection = null;
        try {
            connection = open(kubeconfig, "api/v1/namespaces", factory(kubeconfig, allowInsecure), allowInsecure);
            return identity(kubeconfig, connection);
        } catch (IOException e) {
            throw classify(kubeconfig.server().getHost(), e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /**
     * What {@link #probeAndRead} saw: the probe's identity (the kubeconfig works), and the object read (null: the API
     * server has none) or why it could not be read ({@code readFailure}, with the probe itself fine).
     */
    public record ProbedRead(ApiServerIdentity identity, JsonNode object, ApiServerException readFailure) {
    }

    /**
     * The probe, then a GET of {@code path} (an object's API path), over one TLS connection: the second request
     * reuses the first one's connection (the JDK keeps it alive for the same socket factory), so a member's drift
     * check costs one handshake. A failing probe throws; a failing read is returned.
     */
    public ProbedRead probeAndRead(Kubeconfig kubeconfig, boolean allowInsecure, String path) {
        refuseInsecure(kubeconfig, allowInsecure);
        String host = kubeconfig.server().getHost();
        SSLSocketFactory factory = factory(kubeconfig, allowInsecure);
        ApiServerIdentity identity;
        try {
            identity = identity(kubeconfig, open(kubeconfig, "api/v1/namespaces", factory, allowInsecure));
        } catch (IOException e) {
            throw classify(host, e);
        }
        HttpsURLConnection read = null;
        try {
            read = open(kubeconfig, path, factory, allowInsecure);
            int status = read.getResponseCode();
            if (status == 404) {
                return new ProbedRead(identity, null, null);
            }
            check(host, status, path);
            try (InputStream body = read.getInputStream()) {
                return new ProbedRead(identity, JSON.readTree(body), null);
            } catch (JsonProcessingException e) {
                return new ProbedRead(identity, null, new ApiServerException(ApiServerException.Kind.ERROR,
                        "API server " + host + " call failed (malformed answer to " + path + ")"));
            }
        } catch (ApiServerException e) {
            return new ProbedRead(identity, null, e);
        } catch (IOException e) {
            return new ProbedRead(identity, null, classify(host, e));
        } finally {
            if (read != null) {
                read.disconnect();
            }
        }
    }

    private static void check(String host, int status, String what) {
        if (status == 401) {
            throw unauthorized(host);
        }
        if (status == 403) {
            throw forbidden(host);
        }
        if (status != 200) {
            throw new ApiServerException(ApiServerException.Kind.ERROR, "API server " + host
                    + " call failed (HTTP " + status + (what == null ? "" : " for " + what) + ")");
        }
    }

    /** Lists namespaces and finds kube-system's UID, reading the answer to its end. */
    private static ApiServerIdentity identity(Kubeconfig kubeconfig, HttpsURLConnection connection)
            throws IOException {
        String host = kubeconfig.server().getHost();
        check(host, connection.getResponseCode(), null);
        JsonNode list;
        try (InputStream body = connection.getInputStream()) {
            list = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            list = null;
        }
        if (list == null || !list.path("items").isArray() || !list.path("metadata").isObject()) {
            throw new ApiServerException(ApiServerException.Kind.ERROR, "API server " + host
                    + " call failed (malformed answer to the namespace list)");
        }
        List<String> names = new ArrayList<>();
        String uid = null;
        for (JsonNode namespace : list.get("items")) {
            String name = namespace.path("metadata").path("name").asText("");
            names.add(name);
            if (name.equals("kube-system")) {
                uid = namespace.path("metadata").path("uid").asText(null);
            }
        }
        if (uid == null) {
            throw new ApiServerException(ApiServerException.Kind.ERROR, "API server " + host
                    + " lists no kube-system namespace");
        }
        return new ApiServerIdentity(uid, names);
    }

    private static SSLSocketFactory factory(Kubeconfig kubeconfig, boolean allowInsecure) {
        return ApiServerTls.context(kubeconfig, kubeconfig.insecureSkipTlsVerify() && allowInsecure)
                .getSocketFactory();
    }

    private HttpsURLConnection open(Kubeconfig kubeconfig, String path, SSLSocketFactory factory,
            boolean allowInsecure) throws IOException {
        String server = kubeconfig.server().toString();
        URL url = URI.create(server.endsWith("/") ? server + path : server + "/" + path).toURL();
        // No proxy from the environment: like the fabric8 clients (Config.empty()), only the kubeconfig decides.
        HttpsURLConnection connection = (HttpsURLConnection) url.openConnection(Proxy.NO_PROXY);
        boolean trustAll = kubeconfig.insecureSkipTlsVerify() && allowInsecure;
        connection.setSSLSocketFactory(factory);
        if (trustAll) {
            connection.setHostnameVerifier(TRUST_ANY_NAME);
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setRequestProperty("Accept", "application/json");
        return connection;
    }

    private static void refuseInsecure(Kubeconfig kubeconfig, boolean allowInsecure) {
        if (kubeconfig.insecureSkipTlsVerify() && !allowInsecure) {
            throw new ApiServerException(ApiServerException.Kind.INSECURE_REFUSED, "kubeconfig for "
                    + kubeconfig.serverHost() + " sets insecure-skip-tls-verify; refused (TLS verification stays on)");
        }
    }

    private static ApiServerException unauthorized(String host) {
        return new ApiServerException(ApiServerException.Kind.UNAUTHORIZED, "API server " + host
                + " answered 401 Unauthorized: the client certificate is not accepted");
    }

    private static ApiServerException forbidden(String host) {
        return new ApiServerException(ApiServerException.Kind.FORBIDDEN, "API server " + host
                + " answered 403 Forbidden: the identity lacks RBAC permission");
    }

    public ApiServerIdentity probe(Kubeconfig kubeconfig) {
        return probe(kubeconfig, false);
    }

    /** Runs {@code action} with a client built from the kubeconfig; failures become {@link ApiServerException}s. */
    public <T> T withClient(Kubeconfig kubeconfig, boolean allowInsecure, Function<KubernetesClient, T> action) {
        refuseInsecure(kubeconfig, allowInsecure);
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
            if (message.contains("no subject alternative") || message.contains("no name matching")
                    || message.contains("hostname wrong")) {
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
                return unauthorized(host);
            }
            if (t instanceof KubernetesClientException k && k.getCode() == 403) {
                return forbidden(host);
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
