package io.ackrotator.fleet;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckClients;
import io.ackrotator.ack.AckConfig;
import io.ackrotator.ack.FleetConfig;
import io.ackrotator.ack.FleetScope;
import io.ackrotator.ack.RoleSessions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The accounts × regions one deployment manages, and an ACK client for each: the home account (the function's own)
 * with the invocation's credentials, every other account through an STS session of its role
 * ({@code rotator.accounts.<name>.role-arn}, with its external ID), assumed with the function's credentials and kept
 * until shortly before it expires. Checked when the function starts.
 */
@ApplicationScoped
public class Fleet {

    static final Pattern ROLE_ARN = Pattern.compile("acs:ram::[0-9]+:role/[A-Za-z0-9._-]{1,64}");
    static final String SESSION_NAME = "ack-kubeconfig-rotator";

    private final AckClients clients;
    private final RoleSessions sessions;
    private final FleetScope home;
    private final List<FleetScope> scopes;
    private final Map<String, RoleSessions.Grant> grants = new TreeMap<>();

    public Fleet(FleetConfig config, AckConfig ack, AckClients clients, RoleSessions sessions) {
        this.clients = clients;
        this.sessions = sessions;
        this.home = new FleetScope(FleetScope.HOME, ack.region());
        LinkedHashSet<String> regions = new LinkedHashSet<>();
        regions.add(ack.region());
        config.regions().orElse(List.of()).stream().map(String::trim).filter(r -> !r.isEmpty()).forEach(regions::add);
        config.accounts().forEach((name, account) -> {
            if (FleetScope.HOME.equals(name)) {
                throw new IllegalArgumentException("rotator.accounts.home: 'home' names the function's own account");
            }
            if (!ROLE_ARN.matcher(account.roleArn()).matches()) {
                throw new IllegalArgumentException("rotator.accounts." + name + ".role-arn must look like "
                        + "acs:ram::<account-id>:role/<role-name>");
            }
            if (account.externalId().filter(id -> !id.matches("[A-Za-z0-9=,.@:/-]{2,1224}")).isPresent()) {
                throw new IllegalArgumentException("rotator.accounts." + name + ".external-id: 2 to 1224 characters "
                        + "of letters, digits and =,.@:/-");
            }
            grants.put(name, new RoleSessions.Grant(account.roleArn(), SESSION_NAME, null, account.externalId()));
        });
        List<FleetScope> all = new ArrayList<>();
        for (String account : accounts()) {
            for (String region : regions) {
                all.add(new FleetScope(account, region));
            }
        }
        this.scopes = List.copyOf(all);
    }

    /** home first, then the configured accounts by name. */
    private List<String> accounts() {
        List<String> names = new ArrayList<>();
        names.add(FleetScope.HOME);
        names.addAll(grants.keySet());
        return names;
    }

    public FleetScope home() {
        return home;
    }

    public List<FleetScope> scopes() {
        return scopes;
    }

    /** {@code account/region} of a configured scope. */
    public Optional<FleetScope> scope(String account, String region) {
        return scopes.stream().filter(s -> s.account().equals(account) && s.region().equals(region)).findFirst();
    }

    /**
     * The cluster {@code account/region/clusterId} names, in a configured scope; IllegalArgumentException saying what
     * is wrong with the name otherwise.
     */
    public Map.Entry<io.ackrotator.ack.ClusterId, FleetScope> locate(String name) {
        String[] parts = name.split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected <account>/<region>/<id>");
        }
        FleetScope scope = scope(parts[0], parts[1]).orElseThrow(() -> new IllegalArgumentException(parts[0] + "/"
                + parts[1] + " is not one of the configured accounts and regions"));
        return Map.entry(io.ackrotator.ack.ClusterId.of(parts[2]), scope);
    }

    /**
     * The client for {@code scope}: {@code invocation}'s own credentials in the home account, the role's session
     * in another (AckException when the role can't be assumed).
     */
    public AckClient client(FleetScope scope, AckClient invocation) {
        if (scope.home()) {
            return clients.forScope(scope, invocation.credentials());
        }
        RoleSessions.Grant grant = grants.get(scope.account());
        if (grant == null) {
            throw new IllegalArgumentException("no account " + scope.account() + " is configured");
        }
        return clients.forScope(scope, sessions.assumed(grant).credentials());
    }
}
