package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.hygiene.OffboardReport;
import io.ackrotator.hygiene.Offboarding;
import io.quarkus.funqy.Funq;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /offboard {"uid", "clusterIds": [...] | "all": true, "dryRun": true, "force": false}} (admin): remove
 * a leaver's kubeconfig and RBAC on the chosen clusters. A dry run unless {@code "dryRun": false} is sent.
 */
public class OffboardFunction {

    private final Offboarding offboarding;
    private final AckClients ackClients;
    private final Invocation invocation;

    public OffboardFunction(Offboarding offboarding, AckClients ackClients, Invocation invocation) {
        this.offboarding = offboarding;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    @Funq
    public OffboardReport offboard(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("uid", "clusterIds", "all", "dryRun", "force"));
        String uid = input.text("uid").map(String::trim)
                .orElseThrow(() -> new BadRequestException("uid", "uid is required: the leaver's account ID"));
        if (!uid.matches("[0-9]{1,32}")) {
            throw new BadRequestException("uid", "uid must be an Alibaba Cloud account ID (digits)");
        }
        List<ClusterId> clusterIds = input.clusterIds("clusterIds");
        boolean all = input.bool("all", false);
        if (all == !clusterIds.isEmpty()) {
            throw new BadRequestException("clusterIds", "give either clusterIds or \"all\": true");
        }
        return offboarding.run(ackClients.forInvocation(invocation.credentials()), new Offboarding.Request(uid,
                clusterIds, input.bool("dryRun", true), input.bool("force", false),
                invocation.principal().orElse(null), invocation.sourceAddress().orElse(null)));
    }
}
