package io.ackrotator.hygiene;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "rotator.audit")
public interface HygieneConfig {

    /** A person's long-term kubeconfig expiring within this is flagged: its owner is about to be locked out. */
    @WithDefault("P30D")
    Duration warnBefore();
}
