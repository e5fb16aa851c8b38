package io.ackrotator.settings;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The environment-variable form of the configuration maps keyed by a name ({@code rotator.issue.callers.<name>.*},
 * {@code rotator.kubesphere.members.<name>}, {@code rotator.accounts.<name>.*}, {@code ack.region-endpoints.<region>}).
 * The standard mapping can't tell where a name with a hyphen ends
 * ({@code ROTATOR_ISSUE_CALLERS_TEAM_A_TOKEN_SHA256}: caller {@code team} with field {@code a-token-sha256}, or
 * {@code team-a} with {@code token-sha256}?) and leaves such variables unused, silently. Names here are DNS labels
 * (lowercase letters, digits, hyphens), so the rule is exact: the field is the known suffix, the rest is the name,
 * each {@code _} a {@code -}. FC takes configuration as environment variables only, so this form matters there.
 */
public final class NamedMapEnvSource implements ConfigSource {

    /** Below the standard environment source (300), which wins where both give a key (single-word names). */
    static final int ORDINAL = 290;

    record NamedMap(String envPrefix, String propertyPrefix, List<String> fields) {
    }

    /** Longest field first, so {@code MAX_VALIDITY} is never read as {@code VALIDITY} of caller {@code x-max}. */
    static final List<NamedMap> MAPS = List.of(
            new NamedMap("ROTATOR_ISSUE_CALLERS_", "rotator.issue.callers.",
                    List.of("oidc.jwks-url", "oidc.audience", "oidc.ca-file", "oidc.issuer", "oidc.claims",
                            "token-sha256", "max-validity", "max-per-hour", "ram-role-arn", "clusters", "identity")),
            new NamedMap("ROTATOR_KUBESPHERE_MEMBERS_", "rotator.kubesphere.members.", List.of()),
            new NamedMap("ROTATOR_ACCOUNTS_", "rotator.accounts.", List.of("external-id", "role-arn")),
            new NamedMap("ACK_REGION_ENDPOINTS_", "ack.region-endpoints.", List.of()));

    private final Map<String, String> properties;

    public NamedMapEnvSource() {
        this(System.getenv());
    }

    NamedMapEnvSource(Map<String, String> environment) {
        Map<String, String> found = new HashMap<>();
        environment.forEach((name, value) -> property(name).ifPresent(property -> found.put(property, value)));
        this.properties = Map.copyOf(found);
    }

    /** The property an environment variable of one of these maps stands for. */
    static java.util.Optional<String> property(String variable) {
        for (NamedMap map : MAPS) {
            if (!variable.startsWith(map.envPrefix()) || variable.length() == map.envPrefix().length()) {
                continue;
            }
            String rest = variable.substring(map.envPrefix().length());
            if (map.fields().isEmpty()) {
                return name(rest).map(name -> map.propertyPrefix() + name);
            }
            for (String field : map.fields()) {
                String suffix = "_" + field.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
                if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                    return name(rest.substring(0, rest.length() - suffix.length()))
                            .map(name -> map.propertyPrefix() + name + "." + field);
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> name(String envName) {
        return envName.matches("[A-Z0-9]+(_[A-Z0-9]+)*")
                ? java.util.Optional.of(envName.toLowerCase(Locale.ROOT).replace('_', '-'))
                : java.util.Optional.empty();
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "NamedMapEnvSource";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
