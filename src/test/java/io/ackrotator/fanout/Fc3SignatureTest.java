package io.ackrotator.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ackrotator.ack.AckCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Our V3 signature of an InvokeFunction request is byte for byte the official FC 3.0 SDK's. */
class Fc3SignatureTest {

    @Test
    void signsTheSdksOwnRequestAsTheSdkDid() throws IOException {
        String capture;
        try (InputStream in = getClass().getResourceAsStream("/fc/invoke-function-sdk-request.txt")) {
            capture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String requestLine = null;
        String body = null;
        for (String line : capture.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("POST ")) {
                requestLine = line.substring(5);
            } else if (line.startsWith("  body=")) {
                body = line.substring("  body=".length());
            } else {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim().replaceAll("^\\[|\\]$",
                        ""));
            }
        }
        String sdkAuthorization = headers.remove("Authorization");
        String path = requestLine.substring(0, requestLine.indexOf('?'));
        String[] query = requestLine.substring(requestLine.indexOf('?') + 1).split("=");

        String ours = Fc3Signature.authorization(new AckCredentials("AKID", "SECRET", Optional.of("STSTOKEN")),
                "POST", path, Map.of(query[0], query[1]), headers, body.getBytes(StandardCharsets.UTF_8));

        assertEquals(sdkAuthorization, ours);
        assertEquals(headers.get("X-acs-content-sha256"), io.ackrotator.signing.Digests.sha256Hex(body.getBytes(
                StandardCharsets.UTF_8)), "the body's hash the SDK sent");
    }

    @Test
    void queryValuesArePercentEncodedAsTheSpecSays() {
        assertEquals("a=b%20c&q=%2A~", Fc3Signature.canonicalQuery(Map.of("q", "*~", "a", "b c")));
    }
}
