package io.ackrotator.fleet;

import io.ackrotator.ack.ClusterId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jboss.logging.MDC;

/**
 * One task per cluster, at most {@code parallelism} at once, results in the clusters' order. A task that throws
 * becomes its cluster's failure (made by {@code failure}), so one broken cluster never stops the others. The
 * invocation's log context (FC's request ID) follows the work onto the pool's threads.
 */
public final class PerCluster {

    private PerCluster() {
    }

    public static <R> List<R> run(List<ClusterId> clusters, int parallelism, String threadName,
            Function<ClusterId, R> task, BiFunction<ClusterId, String, R> failure) {
        if (clusters.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, clusters.size()), runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Object> logContext = MDC.getMap();
            List<Future<R>> futures = new ArrayList<>();
            for (ClusterId id : clusters) {
                futures.add(pool.submit(() -> {
                    logContext.forEach(MDC::put);
                    try {
                        return task.apply(id);
                    } finally {
                        MDC.clear();
                    }
                }));
            }
            List<R> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.add(failure.apply(clusters.get(i), "interrupted"));
                } catch (ExecutionException e) {
                    results.add(failure.apply(clusters.get(i), "unexpected " + e.getCause().getClass().getSimpleName()));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
