package io.ackrotator.rotation;

import io.ackrotator.ack.AckClient;

/** Whoever keeps what each batch of a fanned-out sweep did (for status to show the whole fleet). */
public interface BatchOutcomes {

    void batchFinished(AckClient ack, String sweepId, int batch, RotationReport report);
}
