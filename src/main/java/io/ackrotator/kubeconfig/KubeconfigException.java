package io.ackrotator.kubeconfig;

/**
 * A kubeconfig that can't be used. The message names the offending field and why; it never contains key or
 * certificate material.
 */
public class KubeconfigException extends RuntimeException {

    private final String field;

    public KubeconfigException(String field, String reason) {
        super("kubeconfig field '" + field + "': " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
