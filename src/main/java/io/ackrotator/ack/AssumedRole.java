package io.ackrotator.ack;

import java.time.Instant;

/** A role session STS handed out: its temporary credentials and who it is. {@link #toString()} shows no secret. */
public record AssumedRole(AckCredentials credentials, Instant expiration, String assumedRoleId, String arn) {

    @Override
    public String toString() {
        return "AssumedRole[" + arn + ", id=" + assumedRoleId + ", expires " + expiration + "]";
    }
}
