package io.ackrotator.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.FleetScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FanoutPlanTest {

    static final FleetScope HOME = new FleetScope("home", "cn-hangzhou");
    static final FleetScope PROD = new FleetScope("prod", "cn-shanghai");

    static ClusterId id(int n) {
        return ClusterId.of(String.format("c%032x", n));
    }

    @Test
    void batchesNeverMixScopesAndHoldAtMostTheBatchSize() {
        List<ClusterId> clusters = new ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            clusters.add(id(n));
        }
        Function<ClusterId, FleetScope> scope = id -> Integer.parseInt(id.value().substring(25), 16) % 2 == 0 ? PROD
                : HOME;

        List<FanoutPlan.Batch> batches = FanoutPlan.of("req-1", clusters, scope, 3);

        assertEquals(List.of(3, 1, 3), batches.stream().map(b -> b.clusters().size()).toList());
        assertEquals(List.of(HOME, HOME, PROD), batches.stream().map(FanoutPlan.Batch::scope).toList());
        assertEquals("home/cn-hangzhou/" + id(1).value(), batches.get(0).clusters().get(0));
        assertEquals(List.of(0, 1, 2), batches.stream().map(FanoutPlan.Batch::index).toList());
    }

    @Test
    void theSameSweepMakesTheSameTaskIdsInAnyListingOrder() {
        Map<ClusterId, FleetScope> scopes = Map.of(id(1), HOME, id(2), HOME, id(3), PROD);
        List<FanoutPlan.Batch> one = FanoutPlan.of("1-ABC/def", List.of(id(3), id(1), id(2)), scopes::get, 2);
        List<FanoutPlan.Batch> two = FanoutPlan.of("1-ABC/def", List.of(id(2), id(3), id(1)), scopes::get, 2);

        assertEquals(one, two);
        assertEquals("sweep_1-ABC-def_0", one.get(0).taskId());
        assertTrue(FanoutPlan.of("other", List.of(id(1)), scopes::get, 2).get(0).taskId().contains("other"));
    }

    @Test
    void aLongRequestIdStillMakesATaskIdFcTakes() {
        String id = FanoutPlan.taskId("x".repeat(300), 123);
        assertTrue(FcInvoker.TASK_ID.matcher(id).matches(), id);
        assertEquals(128, id.length());
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FanoutPlan.of("s", List.of(), id -> HOME, 0));
    }
}
