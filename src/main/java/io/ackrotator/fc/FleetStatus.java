package io.ackrotator.fc;

import io.ackrotator.ack.AckClient;
import io.ackrotator.hygiene.FleetAudit;
import io.ackrotator.notify.Notifier;
import io.ackrotator.rotation.Inventory;
import io.ackrotator.rotation.StatusReport;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What {@code status} answers everywhere (function, status page, event action): the inventory, the last audit and
 * what people were last told.
 */
@ApplicationScoped
public class FleetStatus {

    private final Inventory inventory;
    private final FleetAudit audit;
    private final Notifier notifier;
    private final io.ackrotator.fanout.FanoutRecord fanout;

    public FleetStatus(Inventory inventory, FleetAudit audit, Notifier notifier,
            io.ackrotator.fanout.FanoutRecord fanout) {
        this.fanout = fanout;
        this.inventory = inventory;
        this.audit = audit;
        this.notifier = notifier;
    }

    public StatusReport status(AckClient ack) {
        return status(ack, false);
    }

    public StatusReport status(AckClient ack, boolean probe) {
        StatusReport report = inventory.status(ack, probe);
        StatusReport composed = audit.last(ack).<StatusReport>map(report::withLastAudit).orElse(report)
                .withNotified(notifier.state(ack));
        return fanout.last(ack).<StatusReport>map(composed::withLastFanout).orElse(composed);
    }
}
