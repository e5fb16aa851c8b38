package io.ackrotator.rotation;

import io.ackrotator.ack.AckClient;
import java.util.List;

/** Told each finished (non-dry) sweep's results; what went wrong on its side comes back as warnings for the report. */
public interface SweepListener {

    List<String> sweepFinished(AckClient ack, List<RotationResult> results);
}
