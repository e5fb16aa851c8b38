package io.ackrotator.fc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "rotator.schedule")
public interface ScheduleConfig {

    /**
     * Cron of the in-process sweep (Quarkus scheduler, 6 fields with seconds), used in the {@code service} profile.
     * On Function Compute idle instances are frozen, so a timer trigger drives sweeps instead.
     */
    @WithDefault("0 0 3 * * ?")
    String cron();
}
