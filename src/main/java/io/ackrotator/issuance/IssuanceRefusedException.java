package io.ackrotator.issuance;

/** A refused issuance: its HTTP status, the reason the audit records, the message the caller reads. */
public class IssuanceRefusedException extends RuntimeException {

    private final int status;
    private final String field;

    public IssuanceRefusedException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
