package io.ackrotator.fc;

/**
 * An event invocation whose run did not do what it was asked: it could not start (another sweep holds the Lease) or
 * was cut by the sweep deadline. Answered 503 with the report and FC's failure signal, so FC's async retries and the
 * onFailure destination apply.
 */
public class IncompleteRunException extends RuntimeException {

    private final transient Object answer;

    public IncompleteRunException(String message, Object answer) {
        super(message, null, false, false);
        this.answer = answer;
    }

    public Object answer() {
        return answer;
    }
}
