package io.ackrotator.ack;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Acting as another RAM role: an STS session assumed with the function's own credentials, narrowed by an inline
 * policy, and an {@link AckClient} bound to it. Sessions (900 s, the shortest STS grants) are kept per role and
 * policy until 5 minutes before they expire; their credentials are never logged nor put in an error.
 */
@ApplicationScoped
public class RoleSessions {

    static final Duration SESSION = Duration.ofSeconds(900);
    static final Duration MARGIN = Duration.ofMinutes(5);
    private static final int MAX_CACHED = 256;

    /**
     * What to act as: the role, the session's name (shown in ActionTrail), the inline policy (null: the role's own
     * permissions), and the external ID its trust policy may ask for.
     */
    public record Grant(String roleArn, String sessionName, String policy, Optional<String> externalId) {

        public Grant(String roleArn, String sessionName, String policy) {
            this(roleArn, sessionName, policy, Optional.empty());
        }

        String key() {
            return roleArn + "\n" + policy + "\n" + externalId.orElse("");
        }
    }

    /** A session to act in: the client, and who it is. */
    public record Session(AckClient ack, AssumedRole role) {
    }

    private final AckClients clients;
    private final AckSettings sts;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, AssumedRole> sessions = new ConcurrentHashMap<>();
    private volatile StsClient stsClient;
    private volatile AckCredentials stsClientFor;

    public RoleSessions(AckClients clients, AckConfig config, Clock clock) {
        this.clients = clients;
        this.sts = AckSettings.sts(config);
        this.rateLimiter = new RateLimiter(config.maxQps());
        this.clock = clock;
    }

    public Session as(Grant grant) {
        String key = grant.key();
        AssumedRole cached = sessions.get(key);
        if (cached == null || !clock.instant().isBefore(cached.expiration().minus(MARGIN))) {
            if (sessions.size() >= MAX_CACHED) {
                sessions.clear();
            }
            cached = sts().assumeRole(grant.roleArn(), grant.sessionName(), SESSION,
                    Optional.ofNullable(grant.policy()), grant.externalId());
            sessions.put(key, cached);
        }
        return new Session(clients.forCredentials(cached.credentials()), cached);
    }

    /** The role's credentials, for a client of another scope (an account's clusters in each region). */
    public AssumedRole assumed(Grant grant) {
        return as(grant).role();
    }

    /**
     * Drops {@code session} from the cache when ACK refused its token (expired early by ACK's clock, or revoked), so
     * the next {@link #as} assumes the role afresh instead of failing until the cached expiry.
     */
    public void forget(Grant grant, Session session) {
        sessions.remove(grant.key(), session.role());
    }

    /** ACK's answer to a request signed with a security token it no longer accepts. */
    public static boolean tokenRefused(AckException e) {
        return e.code().startsWith("InvalidSecurityToken");
    }

    private StsClient sts() {
        AckCredentials function = clients.defaultCredentials();
        if (stsClient == null || !function.equals(stsClientFor)) {
            stsClient = new AliyunStsClient(sts, function, rateLimiter, json);
            stsClientFor = function;
        }
        return stsClient;
    }
}
