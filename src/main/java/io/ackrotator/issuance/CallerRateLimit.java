package io.ackrotator.issuance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code maxPerHour} issuances per caller in any sliding hour. */
public final class CallerRateLimit {

    private static final Duration WINDOW = Duration.ofHours(1);

    private final Clock clock;
    private final Map<String, Deque<Instant>> issued = new ConcurrentHashMap<>();

    public CallerRateLimit(Clock clock) {
        this.clock = clock;
    }

    /** Takes a slot, or returns false when the caller has used all of this hour's. */
    public boolean tryTake(Caller caller) {
        Deque<Instant> times = issued.computeIfAbsent(caller.name(), name -> new ArrayDeque<>());
        Instant now = clock.instant();
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.pollFirst();
            }
            if (times.size() >= caller.maxPerHour()) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }
}
