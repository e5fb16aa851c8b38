package io.ackrotator.hygiene;

import io.ackrotator.ack.AckClient;
import java.util.List;

/** Told what the fleet audit found and what offboarding did; what went wrong on its side comes back as warnings. */
public interface HygieneListener {

    List<String> audited(AckClient ack, FleetAuditReport report);

    List<String> offboarded(AckClient ack, OffboardReport report);
}
