package io.ackrotator.notify;

import io.ackrotator.ack.AckCredentials;

/** Somewhere people are told. */
interface Channel {

    String name();

    /** {@code credentials}: the invocation's cloud credentials, for channels that are cloud APIs. */
    void send(Message message, AckCredentials credentials) throws DeliveryException;
}
