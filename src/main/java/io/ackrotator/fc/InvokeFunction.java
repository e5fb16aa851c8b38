package io.ackrotator.fc;

import io.ackrotator.rotation.RotationReport;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/**
 * {@code POST /invoke}: every Function Compute event invocation (timer triggers, EventBridge, API/async calls). FC
 * authenticates these itself; the answer is JSON, 200 even when some clusters failed (they are in the result), and
 * FC's failure signal ({@code x-fc-status: 404}, with 503) only when the run could not start or did not finish, so
 * FC's async retries and the onFailure destination apply. Never returns a kubeconfig.
 */
public class InvokeFunction {

    private static final Logger LOG = Logger.getLogger(InvokeFunction.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record InvokeResult(String source, String action, String ignored, Object result) {
    }

    private final FleetActions actions;
    private final AckClients ackClients;
    private final Invocation invocation;

    public InvokeFunction(FleetActions actions, AckClients ackClients, Invocation invocation) {
        this.actions = actions;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    @Funq
    public InvokeResult invoke(JsonNode event) {
        FcEvent parsed = FcEvent.parse(event);
        if (parsed.ignored().isPresent()) {
            LOG.infof("event ignored: %s", parsed.ignored().get());
            return new InvokeResult(parsed.source(), null, parsed.ignored().get(), null);
        }
        FleetAction action = parsed.action().orElseThrow();
        Object result = actions.run(action, ackClients.forInvocation(invocation.credentials()),
                invocation.requestId());
        InvokeResult answer = new InvokeResult(parsed.source(), action.name(), null, result);
        if (result instanceof RotationReport report && !report.finished()) {
            throw new IncompleteRunException(report.status().equals(RotationReport.IN_PROGRESS)
                    ? "another sweep holds the Lease: nothing done; FC's retry or the next sweep does it"
                    : "the sweep reached its deadline: the deferred clusters are taken first by the next invocation",
                    answer);
        }
        if (result instanceof io.ackrotator.fanout.FanoutReport fanout && !fanout.finished()) {
            throw new IncompleteRunException(fanout.failed().size() + " of " + fanout.batches() + " batches could not "
                    + "be started: FC's retry of this invocation starts them (the others' task IDs exist)", answer);
        }
        return answer;
    }
}
