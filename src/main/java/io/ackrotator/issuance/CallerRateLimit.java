package io.ackrotator.issuance;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's count of each caller's issuances in the current clock hour: the cheap first filter before the
 * count on the host ({@link CallerQuota}), which holds across instances. It counts the same window, and only what
 * this instance issued, so it never refuses what the host count would allow.
 */
public final class CallerRateLimit {

    private record Window(Instant hour, int count) {
    }

    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public CallerRateLimit(Clock clock) {
        this.clock = clock;
    }

    public boolean exhausted(Caller caller) {
        Window window = windows.get(caller.name());
        return window != null && window.hour().equals(currentHour()) && window.count() >= caller.maxPerHour();
    }

    public void taken(Caller caller) {
        Instant hour = currentHour();
        windows.compute(caller.name(), (name, window) -> window == null || !window.hour().equals(hour)
                ? new Window(hour, 1) : new Window(hour, window.count() + 1));
    }

    private Instant currentHour() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS);
    }
}
