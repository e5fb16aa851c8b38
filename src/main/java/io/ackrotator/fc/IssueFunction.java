package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckClients;
import io.ackrotator.issuance.Caller;
import io.ackrotator.issuance.IssuanceRequest;
import io.ackrotator.issuance.TemporaryKubeconfig;
import io.ackrotator.issuance.TemporaryKubeconfigService;
import io.quarkus.funqy.Funq;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /issue}: a temporary kubeconfig for the authenticated caller (only a caller's token gets here, see
 * EndpointPolicy). HTTP only; never through /invoke.
 */
public class IssueFunction {

    private final TemporaryKubeconfigService service;
    private final AckClients ackClients;
    private final Invocation invocation;

    public IssueFunction(TemporaryKubeconfigService service, AckClients ackClients, Invocation invocation) {
        this.service = service;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    @Funq
    public TemporaryKubeconfig issue(JsonNode body) {
        AckClient ack = ackClients.forInvocation(invocation.credentials());
        Caller caller = service.caller(invocation.principal().orElseThrow(
                () -> new IllegalStateException("issue ran without an authenticated caller")));
        IssuanceRequest request;
        try {
            request = request(body);
        } catch (BadRequestException e) {
            throw service.refuseInvalid(caller, invocation.sourceAddress(), ack, e.field(), e.getMessage());
        }
        return service.issue(caller, request, invocation.sourceAddress(), ack);
    }

    static IssuanceRequest request(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("clusterId", "validityMinutes", "access"));
        String clusterId = input.text("clusterId")
                .orElseThrow(() -> new BadRequestException("clusterId", "clusterId is required"));
        Optional<Duration> validity = input.wholeNumber("validityMinutes").map(minutes -> {
            if (minutes <= 0 || minutes > 100_000) {
                throw new BadRequestException("validityMinutes", "validityMinutes must be a positive number of minutes");
            }
            return Duration.ofMinutes(minutes);
        });
        AckAccess access;
        try {
            access = AckAccess.fromWireName(input.text("access").orElse("public"), "access");
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("access", e.getMessage());
        }
        return new IssuanceRequest(JsonInput.clusterId("clusterId", clusterId), validity, access);
    }
}
