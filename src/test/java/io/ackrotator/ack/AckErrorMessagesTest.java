package io.ackrotator.ack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AckErrorMessagesTest {

    @Test
    void signatureErrorsLoseTheirMessageWhole() {
        assertEquals("", AckErrorMessages.redact("SignatureDoesNotMatch",
                "server string to sign is:GET\n...x-acs-security-token:CAISsecret"));
    }

    @Test
    void anEchoedStringToSignIsCutUnderAnyCode() {
        String redacted = AckErrorMessages.redact("SomethingElse", "bad request, StringToSign: GET x-acs-security-token:abc");
        assertFalse(redacted.contains("abc"));
        assertTrue(redacted.startsWith("bad request"));
    }

    @Test
    void longOpaqueTokensAreMasked() {
        String token = "A".repeat(64);
        assertFalse(AckErrorMessages.redact("Forbidden.RAM", "denied for " + token).contains(token));
    }

    @Test
    void ordinaryMessagesStayReadable() {
        assertEquals("cluster c1234567 not found", AckErrorMessages.redact("ErrorClusterNotFound",
                "cluster c1234567 not found"));
    }
}
