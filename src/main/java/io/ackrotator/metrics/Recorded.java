package io.ackrotator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What happened, counted as it happens: ACK calls, sweeps, issuance, KubeSphere re-syncs. In Micrometer's global
 * registry, which Quarkus' Prometheus registry joins, so classes outside CDI (the SDK transport) count too. Counters
 * live as long as the FC instance; what must survive an instance (expiry, readiness, the last sweep) is a gauge
 * computed from the store at scrape time ({@link FleetGauges}).
 */
public final class Recorded {

    private Recorded() {
    }

    /** {@code result}: {@code ok} or the failure's kind (throttled, forbidden, server, ...). */
    public static void ackCall(String api, String result) {
        Counter.builder("ack.api.calls").description("Alibaba Cloud API calls by API and result")
                .tag("api", api).tag("result", result).register(Metrics.globalRegistry).increment();
    }

    public static void sweep(String status, Duration took) {
        Timer.builder("ack.kubeconfig.sweep.duration").description("Sweep duration by how it ended")
                .tag("status", status).register(Metrics.globalRegistry).record(took);
    }

    public static void rotation(String action) {
        Counter.builder("ack.kubeconfig.rotations").description("Per-cluster sweep outcomes by action")
                .tag("action", action).register(Metrics.globalRegistry).increment();
    }

    public static void issuance(String caller, String outcome) {
        Counter.builder("ack.kubeconfig.issued").description("Temporary kubeconfigs by caller and outcome")
                .tag("caller", caller == null ? "unknown" : caller).tag("outcome", outcome)
                .register(Metrics.globalRegistry).increment();
    }

    public static void resync(String outcome) {
        Counter.builder("ack.kubeconfig.kubesphere.resyncs").description("KubeSphere member re-syncs by outcome")
                .tag("outcome", outcome).register(Metrics.globalRegistry).increment();
    }
}
