package io.ackrotator.hygiene;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/** What the fleet audit says about one identity's kubeconfig on one cluster. */
@RegisterForReflection
public enum CredentialFlag {
    /** The account is deleted or inactive, and its kubeconfig still works: nobody owns that access any more. */
    ORPHANED,
    /** The root account's kubeconfig: unlimited and not attributable to a person. */
    ROOT_ACCOUNT,
    /** A person's long-term kubeconfig expires within {@code rotator.audit.warn-before}. */
    EXPIRING,
    EXPIRED,
    /** ACK left out a field the judgement needs; named in the finding's {@code unknown}. */
    INCOMPLETE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
