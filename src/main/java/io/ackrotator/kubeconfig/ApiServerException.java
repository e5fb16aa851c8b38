package io.ackrotator.kubeconfig;

/** A member API server could not be reached or would not accept the kubeconfig; {@link #kind()} says which. */
public class ApiServerException extends RuntimeException {

    public enum Kind {
        /** The server's certificate doesn't name the address we dialled: the API server address changed. */
        TLS_NAME_MISMATCH,
        /** The server's certificate isn't signed by the kubeconfig's CA. */
        TLS_UNTRUSTED,
        /** The server refused our client certificate (unknown CA, revoked or expired). */
        UNAUTHORIZED,
        FORBIDDEN,
        UNREACHABLE,
        /** The kubeconfig asks to skip TLS verification and this cluster is not allowed to. */
        INSECURE_REFUSED,
        ERROR
    }

    private final Kind kind;

    public ApiServerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
