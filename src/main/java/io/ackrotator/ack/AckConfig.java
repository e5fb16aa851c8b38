package io.ackrotator.ack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "ack")
public interface AckConfig {

    enum Protocol {
        HTTPS,
        /** Only for local stand-ins. */
        HTTP
    }

    /** Region of the clusters; on Function Compute the function's own region. */
    @WithDefault("${FC_REGION:cn-hangzhou}")
    String region();

    /** Explicit endpoint; default {@code cs.<region>.aliyuncs.com}. The SDK's location lookup is never used. */
    Optional<String> endpoint();

    /**
     * Explicit endpoints per region ({@code ack.region-endpoints.<region>}), for the regions of {@code rotator.regions}
     * other than {@code ack.region}; default {@code cs.<region>.aliyuncs.com}.
     */
    Map<String, String> regionEndpoints();

    @WithDefault("https")
    Protocol protocol();

    @WithDefault("PT5S")
    Duration connectTimeout();

    @WithDefault("PT20S")
    Duration readTimeout();

    /** Client-side ceiling on ACK calls per second, shared by all calls of this process. */
    @WithDefault("10")
    double maxQps();

    Retry retry();

    /** STS, for the role sessions of issue callers. */
    Sts sts();

    interface Sts {
        /** Explicit endpoint; default {@code sts.<region>.aliyuncs.com} (same {@code ack.protocol}). */
        Optional<String> endpoint();
    }

    /**
     * Explicit credentials. Unset, the standard {@code ALIBABA_CLOUD_ACCESS_KEY_ID}, {@code
     * ALIBABA_CLOUD_ACCESS_KEY_SECRET} and {@code ALIBABA_CLOUD_SECURITY_TOKEN} environment variables apply (Function
     * Compute sets them to the function role's STS credentials).
     */
    Credentials credentials();

    interface Credentials {
        Optional<String> accessKeyId();

        Optional<String> accessKeySecret();

        Optional<String> securityToken();
    }

    interface Retry {
        /** Attempts per call, the first included. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT8S")
        Duration maxBackoff();
    }
}
