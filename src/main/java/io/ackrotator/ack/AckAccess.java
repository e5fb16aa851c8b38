package io.ackrotator.ack;

import java.util.Locale;

/** Which API server address a kubeconfig points at: the public endpoint or the VPC-internal one. */
public enum AckAccess {
    PUBLIC,
    /** {@code PrivateIpAddress=true}: for callers inside the cluster's VPC. */
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AckAccess fromWireName(String value, String field) {
        for (AckAccess access : values()) {
            if (access.wireName().equals(value)) {
                return access;
            }
        }
        throw new IllegalArgumentException(field + " must be 'public' or 'internal'");
    }
}
