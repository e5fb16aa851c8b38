package io.ackrotator.ack;

import java.util.Optional;

/**
 * A failed ACK OpenAPI call, classified. The message carries the operation, the error code, the HTTP status and the
 * request ID, and ACK's own message only after {@link AckErrorMessages#redact} (ACK echoes the string to sign, STS
 * token included, in signature errors).
 */
public class AckException extends RuntimeException {

    public enum Kind {
        NOT_FOUND(false),
        /** RAM denies the action to this identity. */
        FORBIDDEN(false),
        /** The AccessKey, signature or STS token was not accepted. */
        AUTHENTICATION(false),
        THROTTLED(true),
        INVALID_REQUEST(false),
        SERVER(true),
        TIMEOUT(true),
        TRANSPORT(true),
        /** A 2xx answer we can't read. */
        BAD_RESPONSE(false),
        /** No credentials were configured or passed. */
        NO_CREDENTIALS(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final Kind kind;
    private final String code;
    private final int httpStatus;
    private final Optional<String> requestId;

    public AckException(Kind kind, String operation, String code, int httpStatus, Optional<String> requestId,
            String detail) {
        super(operation + " failed: " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " (code " + code + (httpStatus > 0 ? ", HTTP " + httpStatus : "")
                + requestId.map(id -> ", requestId " + id).orElse("") + ")"
                + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.kind = kind;
        this.code = code;
        this.httpStatus = httpStatus;
        this.requestId = requestId;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Optional<String> requestId() {
        return requestId;
    }

    /** Whether the same call may be made again: throttling, server errors, timeouts and broken connections. */
    public boolean retryable() {
        return kind.retryable;
    }
}
