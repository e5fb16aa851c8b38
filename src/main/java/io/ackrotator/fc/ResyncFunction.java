package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.kubesphere.KubeSphereSync;
import io.ackrotator.kubesphere.SyncReport;
import io.quarkus.funqy.Funq;
import java.util.List;
import java.util.Set;

/** {@code POST /resync {"clusters": ["<kubesphere-name>"...], "dryRun": false}}: re-sync KubeSphere members. */
public class ResyncFunction {

    private final KubeSphereSync sync;
    private final AckClients ackClients;
    private final Invocation invocation;

    public ResyncFunction(KubeSphereSync sync, AckClients ackClients, Invocation invocation) {
        this.sync = sync;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    @Funq
    public SyncReport resync(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("clusters", "dryRun"));
        List<String> names = input.kubesphereNames("clusters");
        return sync.resync(ackClients.forInvocation(invocation.credentials()), names, input.bool("dryRun", false));
    }
}
