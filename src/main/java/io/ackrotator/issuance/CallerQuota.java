package io.ackrotator.issuance;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A caller's issuances in the current clock hour, counted in the host cluster so the limit holds across every FC
 * instance: one ConfigMap per caller ({@code ack-kubeconfig-rotator-quota-<caller>}) holding the hour and its
 * count, each increment conditional on the resourceVersion read. A conflict means another instance counted first:
 * read again and decide again. Within this instance a caller's increments take turns, so conflicts come only from
 * other instances. The counter this instance last wrote is kept and written on from directly, its resourceVersion
 * the condition: one request per issuance instead of two, and a stale copy costs only a conflict and a fresh read.
 * A copy that says the hour is used up is read again before refusing (someone may have reset the count).
 */
public final class CallerQuota {

    public static final String PREFIX = "ack-kubeconfig-rotator-quota-";
    private static final int MAX_CONFLICTS = 8;

    /** The count could not be read or written: issuance fails closed. */
    public static final class QuotaUnavailableException extends RuntimeException {
        QuotaUnavailableException(String message) {
            super(message);
        }
    }

    private final String namespace;
    private final Clock clock;
    private final Map<String, Object> turns = new ConcurrentHashMap<>();
    private final Map<String, ConfigMap> lastWritten = new ConcurrentHashMap<>();

    public CallerQuota(String namespace, Clock clock) {
        this.namespace = namespace;
        this.clock = clock;
    }

    /** Takes one of this hour's slots, or returns false when the caller has used them all. */
    public boolean tryTake(KubernetesClient client, Caller caller) {
        synchronized (turns.computeIfAbsent(caller.name(), name -> new Object())) {
            return take(client, caller);
        }
    }

    private boolean take(KubernetesClient client, Caller caller) {
        String hour = clock.instant().truncatedTo(ChronoUnit.HOURS).toString();
        String name = PREFIX + caller.name();
        try {
            ConfigMap known = lastWritten.remove(name);
            for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
                boolean remembered = known != null;
                ConfigMap current = remembered ? known
                        : ApiAnswers.object(client.configMaps().inNamespace(namespace).withName(name).get(),
                                "the quota read");
                known = null;
                try {
                    if (current == null) {
                        remember(name, ApiAnswers.object(client.resource(counter(name, caller, hour, 1, null))
                                .inNamespace(namespace).create(), "the quota create"));
                        return true;
                    }
                    Map<String, String> data = current.getData() == null ? Map.of() : current.getData();
                    int used = hour.equals(data.get("hour")) ? parse(data.get("count")) : 0;
                    if (used >= caller.maxPerHour()) {
                        if (remembered) {
                            continue; // refuse only on what the host says now
                        }
                        return false;
                    }
                    remember(name, ApiAnswers.object(client.resource(counter(name, caller, hour, used + 1,
                            current.getMetadata().getResourceVersion())).inNamespace(namespace).update(),
                            "the quota update"));
                    return true;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 && !(remembered && e.getCode() == 404)) { // 404: deleted since we wrote it
                        throw e;
                    }
                }
            }
            throw new QuotaUnavailableException("the issuance count of caller '" + caller.name() + "' kept changing ("
                    + MAX_CONFLICTS + " conflicts)");
        } catch (KubernetesClientException e) {
            throw new QuotaUnavailableException("the issuance count of caller '" + caller.name() + "' could not be "
                    + "read or written in the host cluster (" + ApiAnswers.describe(e) + ")");
        }
    }

    /** An answer without its object is not remembered: the next issuance reads the counter. */
    private void remember(String name, ConfigMap written) {
        if (written != null && written.getMetadata() != null) {
            lastWritten.put(name, written);
        }
    }

    private static int parse(String count) {
        try {
            return count == null ? 0 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // a count we can't read is no reason to hand out more
        }
    }

    private ConfigMap counter(String name, Caller caller, String hour, int count, String resourceVersion) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .addToLabels(SecretKubeconfigStore.MANAGED_BY_LABEL, SecretKubeconfigStore.MANAGED_BY)
                .addToLabels("ack-kubeconfig-rotator.io/caller", caller.name())
                .endMetadata()
                .addToData("hour", hour).addToData("count", Integer.toString(count))
                .build();
    }

}
