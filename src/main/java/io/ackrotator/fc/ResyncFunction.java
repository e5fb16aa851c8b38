package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.kubesphere.KubeSphereSync;
import io.ackrotator.kubesphere.SyncReport;
import io.quarkus.funqy.Funq;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code POST /resync {"clusters": ["<kubesphere-name>"...], "dryRun": false}}: re-sync KubeSphere members. */
public class ResyncFunction {

    private static final Pattern KUBESPHERE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

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
        List<String> names = input.strings("clusters");
        for (int i = 0; i < names.size(); i++) {
            if (!KUBESPHERE_NAME.matcher(names.get(i)).matches()) {
                throw new BadRequestException("clusters[" + i + "]", "clusters[" + i + "] must be a KubeSphere "
                        + "cluster name (lowercase letters, digits and '-', at most 63)");
            }
        }
        return sync.resync(ackClients.forInvocation(invocation.credentials()), names, input.bool("dryRun", false));
    }
}
