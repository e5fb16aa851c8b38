package io.ackrotator.fc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.auth.AccessAudit;
import io.ackrotator.auth.Endpoint;
import io.ackrotator.auth.HttpErrors;
import io.ackrotator.host.HostCluster;
import io.ackrotator.kubeconfig.KubeconfigException;
import io.ackrotator.rotation.SweepUnavailableException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Everything HTTP that Funqy can't express: unknown paths refused before authentication, a JSON syntax check before
 * any function parses a body (so bad JSON is a clean 400, not a logged stack trace), and the one place where
 * exceptions become HTTP statuses with a JSON body that names the problem and never carries a stack trace. Who may
 * call what is decided by {@link io.ackrotator.auth.EndpointPolicy}, which Quarkus runs (order -100) before any of
 * the handlers here that come after it.
 */
@ApplicationScoped
public class HttpFront {

    static final String REQUEST_ID_MDC = "fcRequestId";
    /** Quarkus runs authentication at -200 and the HTTP security policy at -100 (SecurityHandlerPriorities). */
    private static final int AFTER_AUTHORIZATION = -90;
    private static final Logger LOG = Logger.getLogger(HttpFront.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STRICT = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            // {"clusterId":"a","clusterId":"b"} is ambiguous: refused rather than last-one-wins
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final long maxBodyBytes;
    private final AckClients ackClients;
    private final HostCluster host;
    private final FcCredentials credentials;
    private final AccessAudit audit;

    public HttpFront(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "1M") MemorySize maxBody,
            AckClients ackClients, HostCluster host, FcCredentials credentials, AccessAudit audit) {
        this.maxBodyBytes = maxBody.asLongValue();
        this.ackClients = ackClients;
        this.host = host;
        this.credentials = credentials;
        this.audit = audit;
    }

    void routes(@Observes Router router) {
        router.route().order(-300).handler(this::fcRequestId);
        router.route().order(-290).handler(this::knownEndpointsOnly);
        router.route().order(-200).failureHandler(this::fail);
        router.route("/invoke").order(-199).handler(this::fcStatus);
        router.route(HttpMethod.POST, "/*").order(-190).handler(BodyHandler.create().setBodyLimit(maxBodyBytes));
        router.route(HttpMethod.POST, "/*").order(AFTER_AUTHORIZATION).handler(this::checkJson);
        // unordered: an initializer never waits behind other blocking work of the same connection context
        router.post("/initialize").order(AFTER_AUTHORIZATION + 1).blockingHandler(this::initialize, false);
        router.get("/pre-stop").order(AFTER_AUTHORIZATION + 1).handler(this::preStop);
    }

    /**
     * A path that is not exactly one of the {@link Endpoint}s (as sent: {@code /status/}, {@code /Status},
     * {@code /status;x}, {@code /%73tatus}, {@code //status} are not {@code /status}) is 404 before authentication,
     * and a method the endpoint does not answer 405.
     */
    private void knownEndpointsOnly(RoutingContext context) {
        String path = context.request().path();
        Optional<Endpoint> endpoint = path == null ? Optional.empty() : Endpoint.at(path);
        if (endpoint.isEmpty()) {
            respond(context, 404, "no such function", null);
        } else if (!endpoint.get().allows(context.request().method().name())) {
            context.response().putHeader("Allow", String.join(", ", endpoint.get().methods()));
            respond(context, 405, "method not allowed: " + endpoint.get().path() + " answers "
                    + String.join(", ", endpoint.get().methods()), null);
        } else {
            context.next();
        }
    }
    /**
     * FC reads an event invocation's outcome from the {@code x-fc-status} response header, not the HTTP status: 200
     * succeeded, 404 failed, and an answer without it counts as success (Source: "Custom runtime specification",
     * https://www.alibabacloud.com/help/en/function-compute/latest/custom-runtime-spec, and "Event handlers",
     * https://www.alibabacloud.com/help/en/fc/user-guide/event-handlers-1). So every /invoke answer carries it: 404
     * for every failure (4xx/5xx), so FC retries it and finally hands it to the onFailure destination.
     */
    private void fcStatus(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> context.response().putHeader("x-fc-status",
                context.response().getStatusCode() >= 400 ? "404" : "200"));
        context.next();
    }

    /**
     * FC's convention: every line of an invocation carries its request ID, framed by "FC Invoke Start/End RequestId".
     */
    private void fcRequestId(RoutingContext context) {
        String requestId = context.request().getHeader(Invocation.FC_REQUEST_ID);
        if (requestId == null || requestId.isBlank()) {
            context.next();
            return;
        }
        String id = requestId.length() > 128 ? requestId.substring(0, 128) : requestId;
        MDC.put(REQUEST_ID_MDC, id);
        LOG.infof("FC Invoke Start RequestId: %s", id);
        context.addEndHandler(done -> {
            LOG.infof("FC Invoke End RequestId: %s", id);
            MDC.remove(REQUEST_ID_MDC);
        });
        context.next();
    }

    /** FC's initializer hook: check what can be checked before the first real invocation and warm the clients. */
    private void initialize(RoutingContext context) {
        credentials.of(context.request()::getHeader).ifPresentOrElse(ackClients::forCredentials,
                () -> ackClients.defaultClient());
        ObjectNode body = JSON.createObjectNode().put("status", "initialized")
                .put("ackEndpoint", ackClients.settings().endpoint())
                .put("hostConfigured", host.configured());
        context.response().putHeader("Content-Type", "application/json").end(body.toString());
    }

    /** FC's pre-stop hook: nothing is buffered, so there is nothing to flush; answer promptly. */
    private void preStop(RoutingContext context) {
        context.response().putHeader("Content-Type", "application/json").end("{\"status\":\"stopping\"}");
    }

    private void checkJson(RoutingContext context) {
        var body = context.body();
        if (body == null || body.buffer() == null || body.length() <= 0) {
            context.next();
            return;
        }
        try (JsonParser parser = STRICT.createParser(body.buffer().getBytes())) {
            while (parser.nextToken() != null) {
                // reading to the end checks the syntax and the nesting limit
            }
            context.next();
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getMessage());
            String why = message.contains("nesting depth") ? "body is nested too deeply"
                    : message.startsWith("Duplicate field") ? "body has a field twice" : "body is not valid JSON";
            respond(context, 400, why, "body");
        } catch (IOException e) {
            respond(context, 400, "body can't be read", "body");
        }
    }

    private void fail(RoutingContext context) {
        Throwable failure = context.failure();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ForbiddenException) {
                String principal = context.user() instanceof QuarkusHttpUser user
                        ? user.getSecurityIdentity().getPrincipal().getName() : null;
                String reason = "'" + principal + "' may not call " + context.request().path();
                audit.refused(context, 403, principal, reason);
                respond(context, 403, reason, "Authorization");
                return;
            }
            if (t instanceof BadRequestException bad) {
                respond(context, 400, bad.getMessage(), bad.field());
                return;
            }
            if (t instanceof ClusterId.InvalidClusterIdException bad) {
                respond(context, 400, bad.getMessage(), "clusterId");
                return;
            }
            if (t instanceof KubeconfigException bad) {
                respond(context, 400, bad.getMessage(), bad.field());
                return;
            }
            if (t instanceof io.ackrotator.issuance.IssuanceRefusedException refused) {
                respond(context, refused.status(), refused.getMessage(), refused.field());
                return;
            }
            if (t instanceof HttpStatusException status) {
                respond(context, status.status(), status.getMessage(), null);
                return;
            }
            if (t instanceof IncompleteRunException incomplete) {
                respondWithAnswer(context, incomplete);
                return;
            }
            if (t instanceof SweepUnavailableException unavailable) {
                respond(context, 503, unavailable.getMessage(), null);
                return;
            }
            if (t instanceof AckException ack && ack.kind() == AckException.Kind.NO_CREDENTIALS) {
                respond(context, 500, ack.getMessage(), null);
                return;
            }
        }
        if (failure == null) {
            int status = context.statusCode() > 0 ? context.statusCode() : 500;
            respond(context, status, switch (status) {
                case 400 -> "bad request: the body must be JSON of the function's input shape";
                case 404 -> "no such function: " + context.normalizedPath();
                case 405 -> "method not allowed";
                case 413 -> "body larger than " + maxBodyBytes + " bytes";
                default -> "request failed";
            }, status == 400 || status == 413 ? "body" : null);
            return;
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(failure, "request %s %s failed (ref %s)", context.request().method(), context.normalizedPath(),
                reference);
        respond(context, 500, "internal error (ref " + reference + ")", null);
    }

    /** 503 with the error and, for whoever reads it, the report of what was (not) done. */
    private static void respondWithAnswer(RoutingContext context, IncompleteRunException incomplete) {
        try {
            var body = ANSWERS.createObjectNode().put("status", 503).put("error", incomplete.getMessage());
            body.set("answer", ANSWERS.valueToTree(incomplete.answer()));
            context.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                    .end(ANSWERS.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            respond(context, 503, incomplete.getMessage(), null);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ANSWERS =
            new com.fasterxml.jackson.databind.ObjectMapper().registerModule(
                    new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule()).registerModule(
                    new com.fasterxml.jackson.datatype.jdk8.Jdk8Module()).disable(
                    com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT);

    static void respond(RoutingContext context, int status, String message, String field) {
        HttpErrors.respond(context, status, message, field);
    }
}
