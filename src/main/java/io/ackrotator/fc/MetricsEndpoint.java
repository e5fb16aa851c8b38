package io.ackrotator.fc;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckClients;
import io.ackrotator.metrics.FleetGauges;
import io.ackrotator.rotation.RotationSweep;
import io.ackrotator.rotation.SweepUnavailableException;
import io.ackrotator.store.StoreException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * {@code GET /metrics} for Prometheus (the scrape token or the admin's; EndpointPolicy decides): the fleet's gauges
 * computed from the store right now, then Micrometer's Prometheus text. Quarkus' own /q/metrics is never reachable
 * (not an endpoint of the table). A store that can't be read fails the scrape (503), so Prometheus' {@code up}
 * says so instead of old numbers.
 */
@ApplicationScoped
public class MetricsEndpoint {

    private static final Logger LOG = Logger.getLogger(MetricsEndpoint.class);

    private final FleetStatus status;
    private final RotationSweep sweep;
    private final AckClients ackClients;
    private final PrometheusMeterRegistry registry;
    private final FleetGauges gauges;

    public MetricsEndpoint(FleetStatus status, RotationSweep sweep, AckClients ackClients,
            PrometheusMeterRegistry registry) {
        this.status = status;
        this.sweep = sweep;
        this.ackClients = ackClients;
        this.registry = registry;
        this.gauges = new FleetGauges(registry);
    }

    /** After the authorization check (order -100). */
    void routes(@Observes Router router) {
        router.get("/metrics").order(-70).blockingHandler(this::serve);
    }

    private void serve(RoutingContext context) {
        AckClient ack = ackClients.forInvocation(java.util.Optional.empty());
        try {
            synchronized (gauges) {
                gauges.update(status.status(ack), sweep.lastStarted(ack));
            }
        } catch (StoreException | KubernetesClientException | SweepUnavailableException e) {
            LOG.warnf("metrics: the store can't be read (%s); scrape failed", e.getClass().getSimpleName());
            HttpFront.respond(context, 503, "the store can't be read: the gauges would be stale", null);
            return;
        }
        context.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }
}
