package io.ackrotator.notify;

/** A channel did not take a message; the reason names no secret (the channel's URL carries its token). */
public class DeliveryException extends Exception {

    public DeliveryException(String message) {
        super(message, null, false, false);
    }
}
