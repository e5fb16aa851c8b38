package io.ackrotator.standin;

import io.quarkus.test.Mock;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** In tests the function reads the stand-ins' clock, so moving it moves every expiry decision. */
public class TestClock {

    @Produces
    @Singleton
    @Mock
    Clock clock() {
        return StandIns.CLOCK;
    }
}
