package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.StandIns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * {@code issue} under 50 concurrent callers for 30 seconds on loopback (-Dload.seconds to change): 40 callers of a
 * caller allowed plenty, 10 of one allowed 3 an hour. The only refusals are the configured rate limit (429) and the
 * FC initializer keeps answering promptly throughout.
 */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class IssuanceLoadTest {

    static final Logger LOG = Logger.getLogger(IssuanceLoadTest.class);
    static final String CLUSTER = "c10ad000000000000000000000000001";
    static final int CALLERS = 50;
    static final int LIMITED_CALLERS = 10;

    @Test
    void fiftyConcurrentCallersSeeOnlyTheConfiguredLimitsAndInitializeStaysResponsive() throws Exception {
        FakeAck ack = StandIns.ack();
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "load");
        }
        ack.clearFaults();
        // FC calls the initializer once before any invocation; that first call warms the clients
        given().header("x-fc-request-id", "load-init").post("/initialize").then().statusCode(200);
        long seconds = Long.getLong("load.seconds", 30);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<Long> initializeMillis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                String token = i < LIMITED_CALLERS ? StandIns.BURST_TOKEN : StandIns.LOAD_TOKEN;
                String who = i < LIMITED_CALLERS ? "burst" : "load";
                work.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        int status = given().header("Authorization", "Bearer " + token).contentType("application/json")
                                .body("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":30}")
                                .post("/issue").statusCode();
                        outcomes.computeIfAbsent(who + " " + status, k -> new AtomicInteger()).incrementAndGet();
                        if (status == 429) {
                            sleep(50); // a polite client backs off when told to
                        }
                    }
                }));
            }
            work.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long started = System.nanoTime();
                    given().header("x-fc-request-id", "load-init").post("/initialize").then().statusCode(200);
                    initializeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    sleep(250);
                }
            }));
            for (Future<?> future : work) {
                future.get(seconds + 120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Integer> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.get()));
        List<Long> sorted = new ArrayList<>(initializeMillis);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long max = sorted.get(sorted.size() - 1);
        LOG.infof("issuance load: %d s, %d callers, outcomes %s; /initialize p50 %d ms, max %d ms over %d calls "
                + "(in order: %s)", seconds, CALLERS, counts, p50, max, sorted.size(), initializeMillis);

        counts.keySet().forEach(outcome -> assertTrue(outcome.equals("load 200") || outcome.equals("burst 200")
                || outcome.equals("burst 429"), "unexpected outcome " + outcome + " in " + counts));
        assertTrue(counts.getOrDefault("load 200", 0) > 0, "issuances went through: " + counts);
        assertTrue(counts.getOrDefault("burst 200", 0) <= 3, "the 3-per-hour caller got at most 3: " + counts);
        assertTrue(counts.getOrDefault("burst 429", 0) > 0, "the limited caller was refused with 429: " + counts);
        assertTrue(max < 1000, "/initialize answered within a second throughout (max " + max + " ms)");
        assertEquals(0, ack.rejectedSignatures(), "every request to ACK was signed correctly under load");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
