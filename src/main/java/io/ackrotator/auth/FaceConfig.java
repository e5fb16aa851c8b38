package io.ackrotator.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "rotator")
public interface FaceConfig {

    /**
     * Which face of the deployment this process is. {@code http}: behind an HTTP trigger, reachable by anyone who
     * has the URL, so {@code /invoke} is refused and the function's own credentials are used. {@code event}: behind
     * timer and EventBridge triggers only, no HTTP trigger, so FC's InvokeFunction API (guarded by RAM) is the only
     * sender of {@code /invoke} and FC's per-invocation {@code x-fc-*} credentials are honoured.
     */
    @WithDefault("http")
    Face face();

    enum Face {
        http, event
    }
}
