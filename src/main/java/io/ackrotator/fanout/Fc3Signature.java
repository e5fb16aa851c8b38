package io.ackrotator.fanout;

import io.ackrotator.signing.Digests;
import io.ackrotator.ack.AckCredentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Alibaba Cloud's V3 signature (ACS3-HMAC-SHA256), which Function Compute 3.0's API takes. The canonical request is
 * {@code METHOD \n path \n sorted percent-encoded query \n} each signed header as {@code name:value\n} (host,
 * content-type and every {@code x-acs-*}, lower-case, sorted) {@code \n signed-header-names \n hex SHA-256 of the
 * body}; the string to sign is {@code ACS3-HMAC-SHA256\n} + hex SHA-256 of that; the signature hex HMAC-SHA256 under
 * the AccessKey secret; sent as {@code Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,
 * Signature=<hex>}. aliyun-java-sdk-core 4.7.x has a V3 signer, but it hashes only form or JSON body parameters, never
 * a raw body such as an invocation's payload (RoaAcsRequest.signRequest), so FC would refuse it.
 * Source: FC's "Signature mechanism" (https://help.aliyun.com/en/functioncompute/fc/developer-reference/signature-mechanism:
 * "Function Compute APIs use ROA-style signatures ... the version 3 signature mechanism") and the official SDK's
 * tea-openapi 0.3.10 (com/aliyun/teaopenapi/Client.java doRequest) with openapiutil
 * (com/aliyun/openapiutil/Client.java getAuthorization); checked against the official fc20230330 SDK's own request
 * ({@code Fc3SignatureTest}).
 */
public final class Fc3Signature {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private Fc3Signature() {
    }

    /** {@code headers}: every header sent; those signed are picked here. */
    public static String authorization(AckCredentials credentials, String method, String path,
            Map<String, String> query, Map<String, String> headers, byte[] body) {
        Map<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals("content-type") || lower.startsWith("x-acs-")) {
                signed.put(lower, value.trim());
            }
        });
        String names = String.join(";", signed.keySet());
        String canonical = method + "\n" + path + "\n" + canonicalQuery(query) + "\n"
                + signed.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n")
                        .collect(Collectors.joining()) + "\n" + names + "\n" + Digests.sha256Hex(body);
        String toSign = ALGORITHM + "\n" + Digests.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        return ALGORITHM + " Credential=" + credentials.accessKeyId() + ",SignedHeaders=" + names + ",Signature="
                + HexFormat.of().formatHex(Digests.hmacSha256(credentials.accessKeySecret(), toSign));
    }

    static String canonicalQuery(Map<String, String> query) {
        return new TreeMap<>(query).entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX (a space is %20, never +). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

}
