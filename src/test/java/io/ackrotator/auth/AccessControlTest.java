package io.ackrotator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HttpFaceStandInResource;
import io.ackrotator.standin.StandIns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP function as deploy/fc/s.yaml configures it (rotator.face=http): no request reaches an action without the
 * right principal, and a path that is not exactly an endpoint's is refused before anything reads state, even with
 * the right token. "Nothing read" is measured where state lives: requests to the host API server (the store) and
 * calls to ACK. Requests go over a raw socket so that no client normalises the path first.
 */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(HttpFaceStandInResource.class)
class AccessControlTest {

    static final String CLUSTER = "c4cce55000000000000000000000000a1";
    static final String BODY = "{}";


    @TestHTTPResource
    URL url;

    final FakeAck ack = StandIns.ack();

    @BeforeEach
    void reset() {
        ack.clearCalls();
    }

    record Answer(int status, String body) {
    }

    Answer send(String method, String rawPath, String token, String body, String... headers) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: " + content.length
                    + "\r\n");
            if (token != null) {
                request.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new Answer(status, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    /** Variants of {@code /<name>} that are not {@code /<name>}, however a server might normalise them. */
    static List<String> variants(String name) {
        String upper = name.toUpperCase();
        String capital = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String encodedFirst = "%" + Integer.toHexString(name.charAt(0)) + name.substring(1);
        String encodedLast = name.substring(0, name.length() - 1) + "%" + Integer.toHexString(name.charAt(
                name.length() - 1)).toUpperCase();
        return List.of(
                "/" + name + "/", "/" + upper, "/" + capital, "/" + name + ";x=1", "/" + name + ";",
                "/" + encodedFirst, "/" + encodedLast, "/" + name + "%2F", "/%2F" + name, "/%2f" + name,
                "//" + name, "/./" + name, "/x/../" + name, "/" + name + "/.", "/%2e/" + name, "/" + name + "/%2e",
                "/" + name + "%20", "/" + name + ".json", "/" + name + "/x", "/" + name + "%00", "/" + name + "%3B",
                "/" + name + "//", "/.//" + name, "/" + upper + "/", "/" + name + "%E2%80%8B",
                "/%D1%95" + name.substring(1), "/%EF%BD%93" + name.substring(1), "/" + name + "%5C", "/" + name
                        + "\\", "/" + name + "%09", "/" + name + "?" + "x=/" + name + "/../" + name + "/");
    }

    static Stream<Arguments> protectedVariants() {
        List<Arguments> cases = new ArrayList<>();
        record Route(String name, String method, String token) {
        }
        for (Route route : List.of(new Route("rotate", "POST", StandIns.ADMIN_TOKEN),
                new Route("resync", "POST", StandIns.ADMIN_TOKEN), new Route("status", "GET", StandIns.ADMIN_TOKEN),
                new Route("status", "POST", StandIns.ADMIN_TOKEN), new Route("issue", "POST", StandIns.CI_TOKEN),
                new Route("invoke", "POST", StandIns.ADMIN_TOKEN))) {
            List<String> variants = variants(route.name());
            for (int i = 0; i < variants.size(); i++) {
                String path = variants.get(i);
                boolean queryOnly = path.startsWith("/" + route.name() + "?");
                if (queryOnly) {
                    continue; // the path is exactly the endpoint's: covered by the tests below
                }
                cases.add(Arguments.of(Named.of(route.method() + " " + path, route.method()), path, route.token()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("protectedVariants")
    void aPathThatIsNotExactlyAnEndpointIsRefusedBeforeAnythingIsRead(String method, String path, String token)
            throws IOException {
        int before = io.ackrotator.standin.HostFront.server().getRequestCount();
        for (String presented : new String[] {token, null}) {
            Answer answer = send(method, path, presented, BODY);
            assertTrue(answer.status() == 404 || answer.status() == 400, path + " -> " + answer);
            assertTrue(!answer.body().contains("Exception") && !answer.body().contains("clusters"), answer.body());
        }
        assertEquals(before, io.ackrotator.standin.HostFront.server().getRequestCount(), "the host (store) was not asked anything for " + path);
        assertTrue(ack.calls().isEmpty(), "ACK was not called for " + path);
    }

    @Test
    void everyProtectedRouteHasAtLeast25Variants() {
        assertTrue(variants("status").size() >= 25);
    }

    @Test
    void invokeIsRefusedOnTheHttpFaceWithAnyBodyAndAnyCredential() throws IOException {
        int before = io.ackrotator.standin.HostFront.server().getRequestCount();
        for (String body : List.of("{\"action\":\"status\"}", "{\"action\":\"rotate\",\"force\":true}",
                "{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"t\",\"payload\":\"\"}", "", "not json")) {
            for (String token : new String[] {null, StandIns.ADMIN_TOKEN, StandIns.CI_TOKEN}) {
                Answer answer = send("POST", "/invoke", token, body);
                assertEquals(403, answer.status(), answer.toString());
                assertTrue(answer.body().contains("/invoke is served only by the event function"), answer.body());
            }
        }
        assertEquals(before, io.ackrotator.standin.HostFront.server().getRequestCount());
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void aCallersTokenNeverOpensAnAdminRouteAndTheAdminsNeverIssues() throws IOException {
        int before = io.ackrotator.standin.HostFront.server().getRequestCount();
        for (String admin : List.of("POST /rotate", "POST /resync", "POST /status", "GET /status")) {
            String[] route = admin.split(" ");
            for (String token : List.of(StandIns.CI_TOKEN, StandIns.TEAM_A_TOKEN)) {
                Answer answer = send(route[0], route[1], token, BODY);
                assertEquals(403, answer.status(), admin + " " + answer);
            }
            assertEquals(401, send(route[0], route[1], null, BODY).status(), admin);
            assertEquals(401, send(route[0], route[1], "forged-token", BODY).status(), admin);
        }
        Answer adminIssues = send("POST", "/issue", StandIns.ADMIN_TOKEN, "{\"clusterId\":\"" + CLUSTER + "\"}");
        assertEquals(403, adminIssues.status(), adminIssues.toString());
        assertEquals(before, io.ackrotator.standin.HostFront.server().getRequestCount(), "refusals read nothing and write nothing (no audit Event)");
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void unknownPathsAndMethodsAreRefusedTheSameWay() throws IOException {
        int before = io.ackrotator.standin.HostFront.server().getRequestCount();
        assertEquals(404, send("GET", "/", null, "").status());
        assertEquals(404, send("POST", "/q/health", null, BODY).status());
        assertEquals(404, send("POST", "/ROTATE", StandIns.ADMIN_TOKEN, BODY).status());
        assertEquals(405, send("DELETE", "/status", StandIns.ADMIN_TOKEN, "").status());
        assertEquals(405, send("GET", "/rotate", StandIns.ADMIN_TOKEN, "").status());
        assertEquals(405, send("GET", "/issue", StandIns.CI_TOKEN, "").status());
        assertEquals(before, io.ackrotator.standin.HostFront.server().getRequestCount());
    }

    @Test
    void fcCredentialHeadersAreIgnoredBehindTheHttpTrigger() throws IOException {
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "access");
        }
        Answer answer = send("POST", "/issue", StandIns.CI_TOKEN, "{\"clusterId\":\"" + CLUSTER + "\"}",
                "x-fc-access-key-id: LTAIforgedbyaclient", "x-fc-access-key-secret: forged");
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(ack.calls().stream().noneMatch(call -> call.accessKeyId().equals("LTAIforgedbyaclient")),
                "the request's headers were not used");
        var assumed = ack.sts().assumptions().get(ack.sts().assumptions().size() - 1);
        assertEquals(ack.defaultIdentity().uid(), assumed.callerUid(),
                "the caller's role was assumed with the function's own credentials");
    }

    @Test
    void theExactPathsWorkForTheirPrincipal() throws IOException {
        assertEquals(200, send("POST", "/status", StandIns.ADMIN_TOKEN, BODY).status());
        assertEquals(200, send("GET", "/status?format=html", StandIns.ADMIN_TOKEN, "").status());
        assertEquals(200, send("POST", "/initialize", null, "").status());
        assertEquals(200, send("GET", "/pre-stop", null, "").status());
    }
}
