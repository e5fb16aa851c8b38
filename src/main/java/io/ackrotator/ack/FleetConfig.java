package io.ackrotator.ack;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which accounts and regions one deployment manages (README "Large fleets"). */
@ConfigMapping(prefix = "rotator")
public interface FleetConfig {

    /** The regions swept in every account; default: {@code ack.region} only. */
    Optional<List<String>> regions();

    /**
     * Other accounts, by a name of your choosing: each is entered by {@code AssumeRole} into {@code role-arn} with the
     * function's own credentials, with {@code external-id} when the role's trust policy asks for one.
     */
    Map<String, Account> accounts();

    interface Account {
        String roleArn();

        Optional<String> externalId();
    }
}
