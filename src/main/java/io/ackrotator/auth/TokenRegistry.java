package io.ackrotator.auth;

import io.ackrotator.issuance.IssuanceConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every configured token hash and whose it is: the admin's and each caller's, each a list so a token can be
 * rotated without downtime. One hash belonging to two principals is refused at start-up: it would let one of them
 * act as the other. A presented token is hashed once and compared with every hash in constant time, all of them.
 */
@ApplicationScoped
public class TokenRegistry {

    private record Entry(byte[] hash, Principal principal) {
    }

    private static final Logger LOG = Logger.getLogger(TokenRegistry.class);

    private final List<Entry> entries;

    public TokenRegistry(AdminConfig admin, IssuanceConfig issuance, MetricsConfig metrics) {
        List<Entry> all = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        admin.tokenSha256().ifPresent(hashes -> add(all, owners, "rotator.admin.token-sha256", hashes,
                Principal.admin()));
        metrics.tokenSha256().ifPresent(hashes -> add(all, owners, "rotator.metrics.token-sha256", hashes,
                Principal.scraper()));
        issuance.callers().forEach((name, caller) -> caller.tokenSha256().ifPresent(hashes -> add(all, owners,
                "rotator.issue.callers." + name + ".token-sha256", hashes, Principal.caller(name))));
        this.entries = List.copyOf(all);
    }

    private static void add(List<Entry> all, Map<String, String> owners, String property, List<String> hashes,
            Principal principal) {
        if (hashes.isEmpty()) {
            throw new IllegalArgumentException(property + " is empty: give the hex SHA-256 of at least one token");
        }
        for (String configured : hashes) {
            String hash = configured.trim().toLowerCase(Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(property + " must be the hex SHA-256 of a token (64 hex "
                        + "characters), e.g. printf %s \"$TOKEN\" | sha256sum");
            }
            String before = owners.putIfAbsent(hash, property);
            if (before != null) {
                throw new IllegalArgumentException(property + " repeats a hash of " + before + ": every token "
                        + "belongs to one principal; give each its own token");
            }
            all.add(new Entry(HexFormat.of().parseHex(hash), principal));
        }
    }

    void report(@Observes StartupEvent event, FaceConfig face) {
        LOG.infof("face: %s (%s)", face.face(), face.face() == FaceConfig.Face.event
                ? "/invoke open to FC's InvokeFunction API, x-fc-* credentials honoured"
                : "/invoke refused, the function's own credentials");
        if (!hasAdmin()) {
            LOG.info("admin functions: no rotator.admin.token-sha256; every call to them will be refused");
        }
    }

    public Optional<Principal> identify(String token) {
        byte[] presented = BearerTokens.sha256(token);
        Principal found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, entry.hash())) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean hasAdmin() {
        return entries.stream().anyMatch(entry -> entry.principal().role().equals(Roles.ADMIN));
    }
}
