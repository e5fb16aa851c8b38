package io.ackrotator.settings;

import io.ackrotator.ack.AckConfig;
import io.ackrotator.ack.FleetConfig;
import io.ackrotator.auth.AdminConfig;
import io.ackrotator.auth.FaceConfig;
import io.ackrotator.auth.MetricsConfig;
import io.ackrotator.fc.ScheduleConfig;
import io.ackrotator.host.HostConfig;
import io.ackrotator.hygiene.HygieneConfig;
import io.ackrotator.issuance.IssuanceConfig;
import io.ackrotator.notify.NotifyConfig;
import io.ackrotator.kubesphere.KubeSphereConfig;
import io.ackrotator.rotation.RotationConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Unknown {@code ROTATOR_*} and {@code ACK_*} environment variables fail start-up, naming the nearest known one.
 * Unknown properties already fail (SmallRye's mapping validation), but an environment variable can't be told from
 * the rest of the environment by name alone, so {@code ROTATOR_RENEW_BEFOR=P400D} would be ignored silently, and on
 * FC every setting is an environment variable.
 */
@ApplicationScoped
public class EnvironmentCheck {

    /** Every configuration mapping of the function; {@code EnvironmentCheckTest} proves none is missing. */
    static final List<Class<?>> MAPPINGS = List.of(AckConfig.class, AdminConfig.class, FaceConfig.class,
            io.ackrotator.fanout.FanoutConfig.class, FleetConfig.class, HostConfig.class, HygieneConfig.class, IssuanceConfig.class, KubeSphereConfig.class,
            MetricsConfig.class, NotifyConfig.class, RotationConfig.class, ScheduleConfig.class);
    static final List<String> PREFIXES = List.of("ROTATOR_", "ACK_");

    /** A known name in its environment form; {@code *} (a map key) matches any name. */
    record Known(String display, Pattern pattern) {
    }

    void check(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = problems(System.getenv(), known());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    static List<Known> known() {
        List<Known> known = new ArrayList<>();
        for (Class<?> mapping : MAPPINGS) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            // The names come from the mapping's generated implementation (what SmallRye itself matches the
            // environment with), not from reflection on the interface, which a native image does not keep.
            for (String name : ConfigMappings.ConfigClass.configClass(mapping, prefix).getProperties().keySet()) {
                known.add(known(name));
            }
        }
        return known;
    }

    static Known known(String property) {
        String bare = property.replace("[*]", "");
        String display = bare.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').replace("*", "<NAME>");
        StringBuilder regex = new StringBuilder();
        for (String part : bare.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(part.replace('.', '_').replace('-', '_').replace("\"", "")
                    .toUpperCase(Locale.ROOT)));
        }
        // a list may also be given by index: ROTATOR_CLUSTERS_0_
        return new Known(display, Pattern.compile(regex + "(_[0-9]+_?)?"));
    }

    static List<String> problems(Map<String, String> environment, List<Known> known) {
        List<String> problems = new ArrayList<>();
        environment.keySet().stream().sorted()
                .filter(variable -> PREFIXES.stream().anyMatch(variable::startsWith))
                .filter(variable -> known.stream().noneMatch(k -> k.pattern().matcher(variable).matches()))
                .forEach(variable -> problems.add("unknown environment variable " + variable + " (did you mean "
                        + nearest(variable, known) + "?)"));
        return problems;
    }

    static String nearest(String variable, List<Known> known) {
        return known.stream().map(Known::display).distinct()
                .min(Comparator.comparingInt(display -> distance(variable, display))).orElse("-");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
