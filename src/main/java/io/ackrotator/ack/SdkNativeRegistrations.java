package io.ackrotator.ack;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What aliyun-java-sdk-core reaches by reflection on our code path, for native images: {@code HttpClientFactory}
 * loads its HTTP client with {@code Class.forName}. Found by native/check.sh (ClassNotFoundException in the binary).
 * Our calls never use the SDK's unmarshallers, credential providers or XML path, so nothing else is registered.
 */
@RegisterForReflection(targets = com.aliyuncs.http.clients.ApacheHttpClient.class)
final class SdkNativeRegistrations {

    private SdkNativeRegistrations() {
    }
}
