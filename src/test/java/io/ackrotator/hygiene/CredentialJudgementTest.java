package io.ackrotator.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ackrotator.ack.KubeconfigState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialJudgementTest {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    final CredentialJudgement judgement = new CredentialJudgement(Duration.ofDays(30));

    static KubeconfigState state(String type, String accountState, Instant expires) {
        return new KubeconfigState("2001", Optional.of("someone"), Optional.ofNullable(type),
                Optional.ofNullable(accountState), Optional.ofNullable(expires), Optional.empty(), Optional.of(true));
    }

    List<CredentialFlag> flags(KubeconfigState state) {
        return judgement.judge(state, NOW, false).flags();
    }

    @Test
    void anInactiveAccountsWorkingKubeconfigIsOrphanedAnExpiredOneIsOnlyExpired() {
        assertEquals(List.of(CredentialFlag.ORPHANED), flags(state("RamUser", "InActive", NOW.plus(Duration.ofDays(90)))));
        assertEquals(List.of(CredentialFlag.EXPIRED), flags(state("RamUser", "Deleted", NOW.minusSeconds(1))));
    }

    @Test
    void onlyPeopleAreWarnedBeforeTheyAreLockedOut() {
        assertEquals(List.of(CredentialFlag.EXPIRING), flags(state("RamUser", "Active", NOW.plus(Duration.ofDays(29)))));
        assertEquals(List.of(), flags(state("RamUser", "Active", NOW.plus(Duration.ofDays(31)))));
        assertEquals(List.of(), flags(state("RamRole", "Active", NOW.plus(Duration.ofDays(2)))), "roles are rotated");
        assertEquals(List.of(CredentialFlag.ROOT_ACCOUNT, CredentialFlag.EXPIRING),
                flags(state("RootAccount", "Active", NOW.plus(Duration.ofDays(3)))));
    }

    @Test
    void whatAckLeftOutIsUnknownNeverGuessed() {
        IdentityFinding finding = judgement.judge(state(null, null, null), NOW, false);
        assertEquals(List.of(CredentialFlag.INCOMPLETE), finding.flags());
        assertEquals(List.of("account_type", "account_state", "cert_expire_time"), finding.unknown());
        KubeconfigState byState = new KubeconfigState("2002", Optional.empty(), Optional.of("RamUser"),
                Optional.of("Deleted"), Optional.empty(), Optional.of("Unexpired"), Optional.empty());
        assertEquals(List.of(CredentialFlag.ORPHANED, CredentialFlag.INCOMPLETE),
                judgement.judge(byState, NOW, false).flags(), "ACK's cert_state says it works; when it expires is "
                        + "unknown, so it is not called expiring");
    }
}
