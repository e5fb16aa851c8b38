package io.ackrotator.notify;

import io.ackrotator.signing.Digests;
import io.ackrotator.ack.AckCredentials;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signature of EventBridge's data-plane API (PutEvents), as its official SDK makes it: HMAC-SHA1 (key: the
 * AccessKey secret) of {@code METHOD \n content-md5 \n content-type \n date \n} then every {@code x-acs-*} header as
 * {@code name:value\n}, sorted by name, then the path; sent as {@code Authorization: acs:<AccessKeyId>:<base64>}. An STS
 * credential adds {@code x-acs-accesskey-id} and {@code x-acs-security-token}, which are signed with the rest.
 * aliyun-java-sdk-core's ROA signer can't make this one (it signs an Accept line and writes "acs AK:sig").
 * Source: aliyun/alibabacloud-eventbridge-sdk java/src/main/java/com/aliyun/eventbridge/EventBridgeClient.java
 * (doRequest) and util/java/src/main/java/com/aliyun/eventbridge/base/EventBridgeUtil.java (getStringToSign).
 */
final class EventBridgeSignature {

    static final String METHOD = "x-acs-signature-method";
    static final String VERSION = "x-acs-signature-version";
    static final String NONCE = "x-acs-signature-nonce";
    static final String KEY_ID = "x-acs-accesskey-id";
    static final String TOKEN = "x-acs-security-token";

    private EventBridgeSignature() {
    }

    /** The headers to sign and send besides content-type and date: the signature's own and the STS token's. */
    static Map<String, String> acsHeaders(AckCredentials credentials, String nonce) {
        Map<String, String> headers = new TreeMap<>();
        headers.put(METHOD, "HMAC-SHA1");
        headers.put(VERSION, "1.0");
        headers.put(NONCE, nonce);
        credentials.securityToken().ifPresent(token -> {
            headers.put(KEY_ID, credentials.accessKeyId());
            headers.put(TOKEN, token);
        });
        return headers;
    }

    static String stringToSign(String method, String contentType, String date, Map<String, String> headers,
            String path) {
        StringBuilder text = new StringBuilder(method).append('\n').append('\n').append(contentType).append('\n')
                .append(date).append('\n');
        new TreeMap<>(headers).forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-acs")) {
                text.append(lower).append(':').append(value.trim()).append('\n');
            }
        });
        return text.append(path).toString();
    }

    static String authorization(AckCredentials credentials, String stringToSign) {
        return "acs:" + credentials.accessKeyId() + ":" + Base64.getEncoder().encodeToString(Digests.hmacSha1(
                credentials.accessKeySecret(), stringToSign));
    }
}
