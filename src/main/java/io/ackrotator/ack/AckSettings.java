package io.ackrotator.ack;

import java.time.Duration;

/** Resolved connection settings of the ACK client. */
public record AckSettings(String regionId, String endpoint, boolean https, Duration connectTimeout,
        Duration readTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** The same settings against STS: {@code ack.sts.endpoint}, else {@code sts.<region>.aliyuncs.com}. */
    public static AckSettings sts(AckConfig config) {
        AckSettings ack = from(config);
        String endpoint = config.sts().endpoint().filter(e -> !e.isBlank())
                .orElse("sts." + config.region() + ".aliyuncs.com");
        return new AckSettings(ack.regionId(), endpoint, ack.https(), ack.connectTimeout(), ack.readTimeout(),
                ack.maxAttempts(), ack.initialBackoff(), ack.maxBackoff());
    }

    /** ACK in {@code region}: {@code ack.region-endpoints.<region>}, {@code ack.endpoint} for ack.region, or the public one. */
    public static AckSettings forRegion(AckConfig config, String region) {
        AckSettings home = from(config);
        if (region.equals(config.region())) {
            return home;
        }
        String endpoint = java.util.Optional.ofNullable(config.regionEndpoints().get(region)).filter(e -> !e.isBlank())
                .orElse("cs." + region + ".aliyuncs.com");
        return new AckSettings(region, endpoint, home.https(), home.connectTimeout(), home.readTimeout(),
                home.maxAttempts(), home.initialBackoff(), home.maxBackoff());
    }

    public static AckSettings from(AckConfig config) {
        String endpoint = config.endpoint().filter(e -> !e.isBlank()).orElse("cs." + config.region() + ".aliyuncs.com");
        return new AckSettings(config.region(), endpoint, config.protocol() == AckConfig.Protocol.HTTPS,
                config.connectTimeout(), config.readTimeout(), config.retry().maxAttempts(),
                config.retry().initialBackoff(), config.retry().maxBackoff());
    }
}
