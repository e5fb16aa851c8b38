package io.ackrotator.fc;

import io.ackrotator.ack.AckClients;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The long-running service's timer: the same sweep a timer-trigger event runs. */
@ApplicationScoped
public class ScheduledSweep {

    private static final Logger LOG = Logger.getLogger(ScheduledSweep.class);

    private final FleetActions actions;
    private final AckClients ackClients;
    private final ScheduleConfig schedule;

    public ScheduledSweep(FleetActions actions, AckClients ackClients, ScheduleConfig schedule) {
        this.actions = actions;
        this.ackClients = ackClients;
        this.schedule = schedule;
    }

    @Scheduled(identity = "rotation-sweep", cron = "${rotator.schedule.cron:0 0 3 * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        LOG.infof("scheduled sweep starting (rotator.schedule.cron=%s)", schedule.cron());
        try {
            actions.run(FleetAction.sweep(), ackClients.defaultClient());
        } catch (RuntimeException e) {
            LOG.errorf("scheduled sweep could not run: %s", e.getMessage());
        }
    }
}
