package io.ackrotator.ack;

import java.util.regex.Pattern;

/**
 * An ACK cluster ID, validated before it can reach a URL path: {@code c} followed by lowercase letters and digits
 * (real IDs are 33 characters). Anything else, a path trick or a look-alike character, is refused here.
 */
public record ClusterId(String value) {

    private static final Pattern SHAPE = Pattern.compile("c[a-z0-9]{7,63}");

    public ClusterId {
        if (value == null || value.isEmpty()) {
            throw new InvalidClusterIdException("clusterId is required");
        }
        if (value.length() > 64) {
            throw new InvalidClusterIdException("clusterId is longer than 64 characters");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw new InvalidClusterIdException("clusterId must be 'c' followed by 7 to 63 lowercase letters or digits");
        }
    }

    public static ClusterId of(String value) {
        return new ClusterId(value);
    }

    /** Whether {@code value} has the shape of a cluster ID (for picking one out of a list of resource names). */
    public static boolean isShaped(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out, not the record's generated ones: a native image runs those through interpreted method handles
    // (perf: ~7 us a call), and cluster IDs are the keys of every per-cluster map in a sweep.
    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterId id && value.equals(id.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Bad input, not a cloud failure. The message names the field and never echoes the value. */
    public static class InvalidClusterIdException extends IllegalArgumentException {
        public InvalidClusterIdException(String message) {
            super(message);
        }
    }
}
