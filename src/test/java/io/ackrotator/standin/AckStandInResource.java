package io.ackrotator.standin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the ACK emulator before the application and points {@code ack.*} at it. */
public class AckStandInResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return StandIns.functionConfig();
    }

    @Override
    public void stop() {
        // The emulator lives for the whole test JVM; its threads are daemons.
    }
}
