package io.ackrotator.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ackrotator.ack.ClusterId;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeferredFirstTest {

    private static ClusterId id(int n) {
        return ClusterId.of(String.format("c%010d", n));
    }

    @Test
    void deferredClustersComeFirstInTheirOrderThenTheRestOnce() {
        List<ClusterId> fleet = List.of(id(1), id(2), id(3), id(4));

        assertEquals(List.of(id(3), id(1), id(2), id(4)),
                RotationSweep.deferredFirst(fleet, List.of(id(3), id(1))));
    }

    @Test
    void aDeferredClusterNoLongerInTheFleetIsDropped() {
        assertEquals(List.of(id(2), id(1)),
                RotationSweep.deferredFirst(List.of(id(1), id(2)), List.of(id(9), id(2))));
    }

    @Test
    void nothingDeferredKeepsTheFleetsOrder() {
        List<ClusterId> fleet = IntStream.range(0, 5000).mapToObj(DeferredFirstTest::id).toList();

        assertEquals(fleet, RotationSweep.deferredFirst(fleet, List.of()));
    }

    @Test
    void equalIdsAreOneKeyAndOtherIdsAreNot() {
        ClusterId one = ClusterId.of("cabc12345");
        ClusterId same = ClusterId.of(new String("cabc12345"));

        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertEquals(1, java.util.Set.of(one).stream().filter(same::equals).count());
        assertEquals(false, one.equals(ClusterId.of("cabc12346")));
        assertEquals(false, one.equals("cabc12345"));
    }

    @Test
    void scopesAreEqualByAccountAndRegion() {
        var a = new io.ackrotator.ack.FleetScope("prod", "cn-hangzhou");

        assertEquals(a, new io.ackrotator.ack.FleetScope("prod", "cn-hangzhou"));
        assertEquals(a.hashCode(), new io.ackrotator.ack.FleetScope("prod", "cn-hangzhou").hashCode());
        assertEquals(false, a.equals(new io.ackrotator.ack.FleetScope("prod", "cn-shanghai")));
        assertEquals(false, a.equals(new io.ackrotator.ack.FleetScope("home", "cn-hangzhou")));
    }
}
