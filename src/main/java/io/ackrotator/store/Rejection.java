package io.ackrotator.store;

import java.time.Instant;

/** The API server refused the stored certificate {@code serial} at {@code at} (revoked, or its CA rotated). */
public record Rejection(String serial, Instant at, String reason) {
}
