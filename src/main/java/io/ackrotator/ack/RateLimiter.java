package io.ackrotator.ack;

import java.time.Duration;

/**
 * Spaces calls evenly at no more than {@code permitsPerSecond}, across all threads. When ACK throttles, {@link
 * #pause} pushes every caller back, so a sweep slows down instead of hammering a limit it already hit.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private long nextFreeNanos = System.nanoTime();

    public RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("ack.max-qps must be greater than 0");
        }
        this.intervalNanos = (long) (1_000_000_000L / permitsPerSecond);
    }

    public void acquire() throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFreeNanos);
            nextFreeNanos = slot + intervalNanos;
            waitNanos = slot - now;
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
        }
    }

    public synchronized void pause(Duration duration) {
        nextFreeNanos = Math.max(nextFreeNanos, System.nanoTime() + duration.toNanos());
    }
}
