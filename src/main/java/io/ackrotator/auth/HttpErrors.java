package io.ackrotator.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

/** The one shape of every error answer: {@code {"status", "error", "field"}}, never a stack trace or a secret. */
public final class HttpErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpErrors() {
    }

    public static void respond(RoutingContext context, int status, String message, String field) {
        if (context.response().ended()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("status", status).put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        if (status == 401) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
        }
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
