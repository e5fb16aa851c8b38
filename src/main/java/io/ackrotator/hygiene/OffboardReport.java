package io.ackrotator.hygiene;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

@RegisterForReflection
public record OffboardReport(String uid, boolean dryRun, boolean force, List<OffboardResult> results,
        Map<String, Long> summary, List<String> warnings) {
}
