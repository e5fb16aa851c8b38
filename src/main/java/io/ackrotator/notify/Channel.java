package io.ackrotator.notify;

/** Somewhere people are told. */
interface Channel {

    String name();

    void send(Message message) throws DeliveryException;
}
