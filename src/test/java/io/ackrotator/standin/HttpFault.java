package io.ackrotator.standin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a Kubernetes-speaking stand-in (the host proxy, a member API server) does instead of answering normally. Each
 * fault knows how to spoil an exchange; {@code realAnswer} is there for the faults that need the genuine reply.
 */
public sealed interface HttpFault {

    String label();

    /** Holds the request without answering until {@code hold} has passed, then drops the connection. */
    record Timeout(Duration hold) implements HttpFault {
        public String label() {
            return "timeout";
        }
    }

    /** Drops the connection without an answer. */
    record Reset() implements HttpFault {
        public String label() {
            return "connection reset";
        }
    }

    /** A Kubernetes Status answer with this code (409 for conflicts, 429 for throttling, 5xx). */
    record Status(int code, String reason) implements HttpFault {
        public String label() {
            return "HTTP " + code;
        }
    }

    /** 200 with a body that isn't JSON. The request is not applied. */
    record Malformed() implements HttpFault {
        public String label() {
            return "malformed body";
        }
    }

    /** The genuine answer (so a write is applied), cut off half way: the client sees the stream end early. */
    record Truncated() implements HttpFault {
        public String label() {
            return "truncated body";
        }
    }

    static HttpFault timeout(Duration hold) {
        return new Timeout(hold);
    }

    static HttpFault reset() {
        return new Reset();
    }

    static HttpFault status(int code) {
        String reason = switch (code) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalError";
        };
        return new Status(code, reason);
    }

    static HttpFault malformed() {
        return new Malformed();
    }

    static HttpFault truncated() {
        return new Truncated();
    }

    /** A genuine answer: status, content type and body. */
    record Answer(int status, String contentType, byte[] body) {
    }

    @FunctionalInterface
    interface RealAnswer {
        Answer get() throws IOException;
    }

    /** Spoils the exchange; the caller closes it afterwards. */
    default void apply(HttpExchange exchange, RealAnswer realAnswer) throws IOException {
        if (this instanceof Timeout timeout) {
            try {
                Thread.sleep(timeout.hold().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (this instanceof Status status) {
            byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected "
                    + status.code() + "\",\"reason\":\"" + status.reason() + "\",\"code\":" + status.code() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.code(), body.length);
            exchange.getResponseBody().write(body);
        } else if (this instanceof Malformed) {
            byte[] body = "<html>502 bad gateway</html> {\"kind\":".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } else if (this instanceof Truncated) {
            Answer answer = realAnswer.get();
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), Math.max(answer.body().length, 2));
            OutputStream out = exchange.getResponseBody();
            out.write(answer.body(), 0, Math.max(answer.body().length / 2, 1));
            out.flush();
            // Closing the exchange now fails (bytes missing) and the JDK server drops the connection.
        }
        // Reset: nothing sent; closing the exchange drops the connection.
    }
}
