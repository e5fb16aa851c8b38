package io.ackrotator.store;

/** Somebody else wrote the entry since it was read: re-read and decide again, never overwrite blindly. */
public class StoreConflictException extends RuntimeException {

    public StoreConflictException(String message) {
        super(message);
    }
}
