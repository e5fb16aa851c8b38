package io.ackrotator.fc;

/** A refusal with its HTTP status: 401, 403, 429… The message is safe to show the caller. */
public class HttpStatusException extends RuntimeException {

    private final int status;

    public HttpStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
