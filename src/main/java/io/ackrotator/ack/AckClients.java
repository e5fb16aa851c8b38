package io.ackrotator.ack;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out {@link AckClient}s bound to credentials. All of them share one rate limiter, so {@code ack.max-qps} holds
 * for the whole process whatever the credentials.
 */
@ApplicationScoped
public class AckClients {

    private final AckSettings settings;
    private final AckConfig.Credentials configured;
    private final RateLimiter rateLimiter;
    private final ObjectMapper json = new ObjectMapper();
    /** A client per credential set: building one parses the SDK's endpoints.json, tens of milliseconds. */
    private final Map<AckCredentials, AckClient> clients = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_CLIENTS = 16;

    private final AckConfig config;
    /** ACK limits each account in each region on its own: one budget of ack.max-qps per scope. */
    private final Map<FleetScope, RateLimiter> scopeLimiters = new ConcurrentHashMap<>();
    private final Map<FleetScope, Map<AckCredentials, AckClient>> scoped = new ConcurrentHashMap<>();

    public AckClients(AckConfig config) {
        this.config = config;
        this.settings = AckSettings.from(config);
        this.configured = config.credentials();
        this.rateLimiter = new RateLimiter(config.maxQps());
    }

    /**
     * A client for {@code scope}'s region signed with {@code credentials} (the account's). The home account in
     * ack.region is the same client (and rate budget) as {@link #forCredentials}.
     */
    public AckClient forScope(FleetScope scope, AckCredentials credentials) {
        if (scope.home() && scope.region().equals(config.region())) {
            return forCredentials(credentials);
        }
        return cached(scoped.computeIfAbsent(scope, s -> new ConcurrentHashMap<>()), credentials,
                c -> new AliyunAckClient(AckSettings.forRegion(config, scope.region()), c,
                        scopeLimiters.computeIfAbsent(scope, x -> new RateLimiter(config.maxQps())), json));
    }

    public AckClient forCredentials(AckCredentials credentials) {
        return cached(clients, credentials, c -> new AliyunAckClient(settings, c, rateLimiter, json));
    }

    /** The cached client of {@code credentials}, else a new one; a full cache starts over. */
    private static AckClient cached(Map<AckCredentials, AckClient> cache, AckCredentials credentials,
            java.util.function.Function<AckCredentials, AckClient> create) {
        AckClient cached = cache.get(credentials);
        if (cached != null) {
            return cached;
        }
        if (cache.size() >= MAX_CACHED_CLIENTS) {
            cache.clear(); // rotated STS credentials leave old entries behind; start over
        }
        return cache.computeIfAbsent(credentials, create);
    }

    /** Per-invocation credentials when the caller passed some (FC's x-fc-* headers), else the function's own. */
    public AckClient forInvocation(Optional<AckCredentials> invocationCredentials) {
        return forCredentials(invocationCredentials.orElseGet(this::defaultCredentials));
    }

    public AckClient defaultClient() {
        return forCredentials(defaultCredentials());
    }

    public AckCredentials defaultCredentials() {
        Map<String, String> source = new HashMap<>(System.getenv());
        configured.accessKeyId().ifPresent(v -> source.put(AckCredentials.ENV_ACCESS_KEY_ID, v));
        configured.accessKeySecret().ifPresent(v -> source.put(AckCredentials.ENV_ACCESS_KEY_SECRET, v));
        configured.securityToken().ifPresent(v -> source.put(AckCredentials.ENV_SECURITY_TOKEN, v));
        return AckCredentials.fromEnvironment(source).orElseThrow(() -> new AckException(
                AckException.Kind.NO_CREDENTIALS, "ACK call", "NoCredentials", 0, Optional.empty(),
                "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN "
                        + "for STS), or ack.credentials.*"));
    }

    public AckSettings settings() {
        return settings;
    }
}
