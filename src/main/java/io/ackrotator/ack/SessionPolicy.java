package io.ackrotator.ack;

/**
 * The inline RAM policies a role session is narrowed to (STS AssumeRole's {@code Policy}: the session gets the
 * intersection with the role's own policies). Each allows one ACK action on one cluster; a kubeconfig's validity is
 * capped with ACK's condition key {@code cs:KubeConfigDurationMinutes}, so even a leaked session can't fetch a longer
 * or another cluster's kubeconfig.
 */
public final class SessionPolicy {

    private SessionPolicy() {
    }

    /** Only {@code DescribeClusterUserKubeconfig} on {@code cluster}, temporary kubeconfigs up to {@code minutes}. */
    public static String kubeconfig(String region, ClusterId cluster, long minutes) {
        return "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"cs:DescribeClusterUserKubeconfig\"],"
                + "\"Resource\":[\"" + arn(region, cluster) + "\"],\"Condition\":{\"NumericLessThanEquals\":"
                + "{\"cs:KubeConfigDurationMinutes\":\"" + minutes + "\"}}}]}";
    }

    /** Only {@code RevokeK8sClusterKubeConfig} on {@code cluster}: the session's own identity's kubeconfigs. */
    public static String revoke(String region, ClusterId cluster) {
        return "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"cs:RevokeK8sClusterKubeConfig\"],"
                + "\"Resource\":[\"" + arn(region, cluster) + "\"]}]}";
    }

    static String arn(String region, ClusterId cluster) {
        return "acs:cs:" + region + ":*:cluster/" + cluster.value();
    }
}
