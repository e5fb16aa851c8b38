package io.ackrotator.standin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Which requests a stand-in spoils, and how often: the first matching rule with turns left applies. */
public final class FaultRules {

    private record Rule(String method, Pattern path, HttpFault fault, AtomicLong skip, AtomicLong remaining) {
        boolean matches(String requestMethod, String requestPath) {
            return (method.equals("*") || method.equals(requestMethod)) && path.matcher(requestPath).matches();
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong hits = new AtomicLong();

    /** Spoils {@code times} requests matching {@code method} ("*" = any) and the path regex. */
    public void add(String method, String pathRegex, HttpFault fault, long times) {
        add(method, pathRegex, fault, 0, times);
    }

    /** The same, letting the first {@code skip} matching requests through. */
    public void add(String method, String pathRegex, HttpFault fault, long skip, long times) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), fault, new AtomicLong(skip), new AtomicLong(times)));
    }

    /** How many requests have been spoiled so far. */
    public long hits() {
        return hits.get();
    }

    public void clear() {
        rules.clear();
    }

    public Optional<HttpFault> next(String method, String path) {
        for (Rule rule : rules) {
            if (!rule.matches(method, path)) {
                continue;
            }
            if (rule.skip().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Optional.empty();
            }
            if (rule.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                hits.incrementAndGet();
                return Optional.of(rule.fault());
            }
        }
        return Optional.empty();
    }
}
