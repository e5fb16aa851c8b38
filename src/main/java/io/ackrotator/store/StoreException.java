package io.ackrotator.store;

/** The store could not be read or written (the message names the object, never its content). */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }
}
