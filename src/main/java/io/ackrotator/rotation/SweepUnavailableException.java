package io.ackrotator.rotation;

/** The sweep could not start at all (store unreachable): the caller should retry the whole run. */
public class SweepUnavailableException extends RuntimeException {

    public SweepUnavailableException(String message) {
        super(message);
    }
}
