package io.ackrotator.ack;

import java.util.regex.Pattern;

/**
 * Where a cluster lives: an account, by its configured name ({@value #HOME} is the function's own), and a region. ACK
 * applies its rate limits per account and region, and a cluster is named {@code account/region/clusterId} in the
 * store's labels and in every report.
 */
public record FleetScope(String account, String region) {

    public static final String HOME = "home";
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public FleetScope {
        if (account == null || !NAME.matcher(account).matches()) {
            throw new IllegalArgumentException("account name '" + account + "' is not a DNS label");
        }
        if (region == null || !NAME.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + region + "' is not a region ID");
        }
    }

    public boolean home() {
        return HOME.equals(account);
    }

    /** {@code account/region/clusterId}: a cluster's name wherever people read it. */
    public String name(ClusterId clusterId) {
        return account + "/" + region + "/" + clusterId.value();
    }

    @Override
    public String toString() {
        return account + "/" + region;
    }

    // Written out for the native image, as ClusterId's are: a sweep looks a scope up once per cluster.
    @Override
    public boolean equals(Object other) {
        return other instanceof FleetScope scope && account.equals(scope.account) && region.equals(scope.region);
    }

    @Override
    public int hashCode() {
        return 31 * account.hashCode() + region.hashCode();
    }
}
