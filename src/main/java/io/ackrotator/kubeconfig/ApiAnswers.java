package io.ackrotator.kubeconfig;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Checks on what a Kubernetes API server answered. fabric8 reads a body that isn't JSON as YAML, so an HTML error page
 * behind a 200 (a proxy, a load balancer) comes back as an empty object or an empty list; taken at its word, an empty
 * store list would silently sweep nothing and an unparsed write answer would look like success. Every answer we rely
 * on passes through here first.
 */
public final class ApiAnswers {

    /** An answer that is not the Kubernetes object or list asked for. */
    public static final class MalformedAnswerException extends KubernetesClientException {
        public MalformedAnswerException(String what) {
            super("malformed answer to " + what);
        }
    }

    private ApiAnswers() {
    }

    /** {@code answer} unless it lacks the metadata every Kubernetes object has; null (not found) passes. */
    public static <T extends HasMetadata> T object(T answer, String what) {
        if (answer != null && (answer.getMetadata() == null || answer.getMetadata().getName() == null)) {
            throw new MalformedAnswerException(what);
        }
        return answer;
    }

    /** {@code answer} unless it is missing or lacks the list metadata every Kubernetes list has. */
    public static <L extends KubernetesResourceList<?>> L list(L answer, String what) {
        if (answer == null || answer.getMetadata() == null || answer.getItems() == null) {
            throw new MalformedAnswerException(what);
        }
        return answer;
    }

    /** What went wrong, for a message: "HTTP 503", "timed out", "connection failed", "malformed answer to …". */
    public static String describe(KubernetesClientException e) {
        if (e instanceof MalformedAnswerException) {
            return e.getMessage();
        }
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode();
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return "timed out";
            }
            if (cause instanceof IOException) {
                return "connection failed";
            }
        }
        return "no answer";
    }
}
