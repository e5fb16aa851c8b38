package io.ackrotator.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ackrotator.ack.AckCredentials;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Our PutEvents signature equals the official SDK's. The expected values were computed with the published
 * {@code com.aliyun:eventbridge-util:0.0.4} (EventBridgeUtil.getStringToSign and getSignature, the code
 * aliyun/alibabacloud-eventbridge-sdk's Java client signs with) on these inputs, and re-checked with
 * {@code openssl dgst -sha1 -hmac}.
 */
class EventBridgeSignatureTest {

    static final String DATE = "Sat, 18 Apr 2020 05:30:41 GMT";

    @Test
    void anAccessKeySignsAsTheSdkDoes() {
        AckCredentials key = new AckCredentials("testAK", "testSecret", Optional.empty());
        Map<String, String> headers = EventBridgeSignature.acsHeaders(key, "nonce-123");

        String text = EventBridgeSignature.stringToSign("POST", EventBridgeChannel.CONTENT_TYPE, DATE, headers,
                "/openapi/putEvents");

        assertEquals("POST\n\napplication/cloudevents-batch+json; charset=utf-8\n" + DATE + "\n"
                + "x-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:nonce-123\nx-acs-signature-version:1.0\n"
                + "/openapi/putEvents", text);
        assertEquals("acs:testAK:J2kw+etnmxYnz3j/b0UW2RRmpM0=", EventBridgeSignature.authorization(key, text));
    }

    @Test
    void anStsKeySignsItsTokenToo() {
        AckCredentials key = new AckCredentials("STS.AK", "testSecret", Optional.of("tok"));
        Map<String, String> headers = EventBridgeSignature.acsHeaders(key, "nonce-123");

        assertEquals("STS.AK", headers.get("x-acs-accesskey-id"));
        assertEquals("tok", headers.get("x-acs-security-token"));
        assertEquals("acs:STS.AK:Qw3l332eQPcP5nGJ8c10M8C2UUQ=", EventBridgeSignature.authorization(key,
                EventBridgeSignature.stringToSign("POST", EventBridgeChannel.CONTENT_TYPE, DATE, headers,
                        "/openapi/putEvents")));
    }
}
