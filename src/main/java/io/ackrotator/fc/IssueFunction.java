package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckClients;
import io.ackrotator.issuance.Caller;
import io.ackrotator.issuance.ExecCredentials;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.issuance.IssuanceRequest;
import io.ackrotator.issuance.Requester;
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

    /**
     * {@code "format": "kubeconfig"} (default) answers the temporary kubeconfig; {@code "exec"} a kubeconfig of the
     * same cluster whose user is a credential plugin calling {@code /credential}, so kubectl always holds a fresh
     * short-lived certificate and the file holds no secret.
     */
    @Funq
    public TemporaryKubeconfig issue(JsonNode body) {
        boolean exec = format(body);
        TemporaryKubeconfig issued = issueAs(body, Set.of("clusterId", "validityMinutes", "access", "format"),
                "POST /issue");
        if (!exec) {
            return issued;
        }
        String url = service.execUrl().or(invocation::origin).orElseThrow(() -> new BadRequestException("format",
                "the function's URL is unknown: set rotator.issue.exec.url"));
        return issued.withKubeconfig(ExecCredentials.kubeconfig(Kubeconfig.parse(issued.kubeconfig()), url,
                service.execTokenVariable(), issued.clusterId(), issued.validityMinutes(), issued.access()));
    }

    /** {@code POST /credential}: the ExecCredential the plugin of an {@code exec} kubeconfig prints for kubectl. */
    @Funq
    public JsonNode credential(JsonNode body) {
        return ExecCredentials.credential(Kubeconfig.parse(issueAs(body, Set.of("clusterId", "validityMinutes",
                "access"), "POST /credential").kubeconfig()));
    }

    private TemporaryKubeconfig issueAs(JsonNode body, Set<String> fields, String endpoint) {
        AckClient ack = ackClients.forInvocation(invocation.credentials());
        Caller caller = service.caller(invocation.principal().orElseThrow(
                () -> new IllegalStateException("issue ran without an authenticated caller")));
        Requester requester = new Requester(invocation.sourceAddress(), invocation.authentication().orElse(null),
                endpoint);
        IssuanceRequest request;
        try {
            request = request(body, fields);
        } catch (BadRequestException e) {
            throw service.refuseInvalid(caller, requester, ack, e.field(), e.getMessage());
        }
        return service.issue(caller, request, requester, ack, invocation.requestIdOrNew());
    }

    private static boolean format(JsonNode body) {
        JsonNode format = body == null ? null : body.get("format");
        if (format == null || format.isNull()) {
            return false;
        }
        if (format.isTextual() && (format.textValue().equals("kubeconfig") || format.textValue().equals("exec"))) {
            return format.textValue().equals("exec");
        }
        throw new BadRequestException("format", "format must be kubeconfig or exec");
    }

    static IssuanceRequest request(JsonNode body) {
        return request(body, Set.of("clusterId", "validityMinutes", "access"));
    }

    static IssuanceRequest request(JsonNode body, Set<String> fields) {
        JsonInput input = JsonInput.of(body, fields);
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
