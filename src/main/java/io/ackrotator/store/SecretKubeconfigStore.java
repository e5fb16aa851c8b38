package io.ackrotator.store;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.FleetScope;
import io.ackrotator.host.HostEvents;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One Secret per ACK cluster in the store namespace: data {@code kubeconfig} and {@code kubeconfig.previous}, labels
 * that find them, annotations that describe the certificate without opening it.
 */
public class SecretKubeconfigStore implements KubeconfigStore {

    private static final long PAGE = 500;

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "ack-kubeconfig-rotator";
    public static final String CLUSTER_ID_LABEL = "ack-kubeconfig-rotator.io/cluster-id";
    /** Where the cluster lives (FleetScope): absent on clusters of the home account in ack.region. */
    public static final String ACCOUNT_LABEL = "ack-kubeconfig-rotator.io/account";
    public static final String REGION_LABEL = "ack-kubeconfig-rotator.io/region";
    public static final String PREFIX = "ack-kubeconfig-rotator.io/";
    public static final String NOT_AFTER = PREFIX + "not-after";
    public static final String SUBJECT = PREFIX + "subject";
    public static final String SERIAL = PREFIX + "serial";
    public static final String ROTATED_AT = PREFIX + "rotated-at";
    public static final String ACCESS = PREFIX + "access";
    public static final String KUBE_SYSTEM_UID = PREFIX + "kube-system-uid";
    public static final String PREVIOUS_NOT_AFTER = PREFIX + "previous-not-after";
    public static final String LAST_ERROR = PREFIX + "last-error";
    public static final String LAST_ERROR_AT = PREFIX + "last-error-at";
    public static final String PROBED_AT = PREFIX + "probed-at";
    public static final String REJECTED_SERIAL = PREFIX + "rejected-serial";
    public static final String REJECTED_AT = PREFIX + "rejected-at";
    public static final String REJECTED_REASON = PREFIX + "rejected-reason";
    public static final String REVOCATION = PREFIX + "revocation";
    public static final String REVOCATION_REASON = PREFIX + "revocation-reason";
    public static final String REVOCATION_REQUESTED_AT = PREFIX + "revocation-requested-at";
    public static final String REVOCATION_SERIAL = PREFIX + "revocation-serial";
    public static final String REVOKED_AT = PREFIX + "revoked-at";
    /**
     * {@code <fingerprint of the stored data>;<the authorities' earliest notAfter>;<insecure>}, written with the data:
     * what lets a sweep trust the annotations without reading the kubeconfig (StoredFacts).
     */
    public static final String FACTS = PREFIX + "facts";
    private static final java.util.List<String> MARKERS = java.util.List.of(REJECTED_SERIAL, REJECTED_AT,
            REJECTED_REASON, REVOCATION, REVOCATION_REASON, REVOCATION_REQUESTED_AT, REVOCATION_SERIAL, REVOKED_AT);
    public static final String DATA_KEY = "kubeconfig";
    public static final String PREVIOUS_DATA_KEY = "kubeconfig.previous";
    private static final Logger LOG = Logger.getLogger(SecretKubeconfigStore.class);

    private final KubernetesClient client;
    private final String namespace;

    public SecretKubeconfigStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public static String secretName(ClusterId clusterId) {
        return "ack-kubeconfig-" + clusterId.value();
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public List<StoredKubeconfig> list() {
        try {
            return ApiAnswers.list(client.secrets().inNamespace(namespace).withLabel(MANAGED_BY_LABEL, MANAGED_BY)
                    .list(), "the Secret list").getItems().stream()
                    .filter(secret -> secret.getMetadata().getLabels().containsKey(CLUSTER_ID_LABEL))
                    .flatMap(secret -> toStored(secret).stream())
                    .toList();
        } catch (KubernetesClientException e) {
            throw new StoreException("listing Secrets in namespace " + namespace + " failed ("
                    + ApiAnswers.describe(e) + ")");
        }
    }

    /** Pages of 500, so a fleet of thousands never sits in memory as one list answer. */
    @Override
    public List<ClusterId> listIds() {
        return List.copyOf(listFacts().keySet());
    }

    @Override
    public Map<ClusterId, Optional<StoredFacts>> listFacts() {
        Map<ClusterId, Optional<StoredFacts>> listed = new java.util.LinkedHashMap<>();
        forEachListed(false, secret -> {
            try {
                listed.put(ClusterId.of(secret.getMetadata().getLabels().getOrDefault(CLUSTER_ID_LABEL, "")),
                        facts(secret));
            } catch (IllegalArgumentException e) {
                // not one of ours after all (the label was edited); get() would skip it the same way
            }
        });
        return listed;
    }

    /** Our Secrets, page by page ({@code scoped}: only those labelled with an account). */
    private void forEachListed(boolean scoped, java.util.function.Consumer<Secret> each) {
        String next = null;
        try {
            do {
                var listed = client.secrets().inNamespace(namespace).withLabel(MANAGED_BY_LABEL, MANAGED_BY);
                var page = ApiAnswers.list((scoped ? listed.withLabel(ACCOUNT_LABEL) : listed).list(
                        new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(PAGE).withContinue(next)
                                .build()), "the Secret list");
                page.getItems().forEach(each);
                next = page.getMetadata().getContinue();
            } while (next != null && !next.isEmpty());
        } catch (KubernetesClientException e) {
            throw new StoreException("listing Secrets in namespace " + namespace + " failed ("
                    + ApiAnswers.describe(e) + ")");
        }
    }

    private static Map<String, String> scopeLabels(StoreUpdate update) {
        return update.scope().map(scope -> Map.of(ACCOUNT_LABEL, scope.account(), REGION_LABEL, scope.region()))
                .orElse(Map.of());
    }

    /** Where each stored cluster lives, from its labels; a cluster without them is not in the map (home). */
    @Override
    public Map<ClusterId, FleetScope> placements() {
        Map<ClusterId, FleetScope> placements = new java.util.HashMap<>();
        forEachListed(true, secret -> {
            Map<String, String> labels = secret.getMetadata().getLabels();
            try {
                placements.put(ClusterId.of(labels.getOrDefault(CLUSTER_ID_LABEL, "")),
                        new FleetScope(labels.get(ACCOUNT_LABEL), labels.get(REGION_LABEL)));
            } catch (IllegalArgumentException e) {
                // labels edited by hand into something else: treated as home, as before they existed
            }
        });
        return placements;
    }

    @Override
    public Optional<StoredKubeconfig> get(ClusterId clusterId) {
        try {
            return Optional.ofNullable(read(secretName(clusterId))).flatMap(this::toStored);
        } catch (KubernetesClientException e) {
            throw new StoreException("reading Secret " + namespace + "/" + secretName(clusterId) + " failed ("
                    + ApiAnswers.describe(e) + ")");
        }
    }

    @Override
    public StoredKubeconfig create(ClusterId clusterId, StoreUpdate update) {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(clusterId))
                .withNamespace(namespace)
                .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
                .addToLabels(CLUSTER_ID_LABEL, clusterId.value())
                .addToLabels(scopeLabels(update))
                .withAnnotations(annotations(Map.of(), update))
                .endMetadata()
                .withType("Opaque")
                .withData(data(update))
                .build();
        try {
            return toStored(ApiAnswers.object(client.secrets().inNamespace(namespace).resource(secret).create(),
                    "the Secret create")).orElseThrow();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new StoreConflictException("Secret " + namespace + "/" + secretName(clusterId) + " already exists");
            }
            throw new StoreException("creating Secret " + namespace + "/" + secretName(clusterId) + " failed ("
                    + ApiAnswers.describe(e) + ")");
        }
    }

    @Override
    public StoredKubeconfig replace(StoredKubeconfig current, StoreUpdate update) {
        String name = secretName(current.clusterId());
        for (int attempt = 1; ; attempt++) {
            // Another writer's labels or annotations are no conflict: the write goes on top of them. Only a changed
            // kubeconfig is, because the decision to replace it was made on the one read.
            Secret existing = read(name);
            if (existing == null || !toStored(existing).map(StoredKubeconfig::kubeconfig)
                    .equals(Optional.of(current.kubeconfig()))) {
                throw new StoreConflictException("Secret " + namespace + "/" + name + " changed since it was read");
            }
            Map<String, String> annotations = annotations(existing.getMetadata().getAnnotations(), update);
            annotations.remove(LAST_ERROR);
            annotations.remove(LAST_ERROR_AT);
            // the new kubeconfig was proven at the write; what was said about the old one no longer holds
            MARKERS.forEach(annotations::remove);
            // Data keys of other writers stay; the write is conditional on the resourceVersion just read, so a
            // change in between is a 409 and this loop reads and decides again.
            Map<String, String> data = new HashMap<>(existing.getData() == null ? Map.of() : existing.getData());
            data.remove(PREVIOUS_DATA_KEY);
            data.putAll(data(update));
            Secret updated = new SecretBuilder(existing)
                    .editMetadata()
                    .withAnnotations(annotations)
                    .withResourceVersion(existing.getMetadata().getResourceVersion())
                    .endMetadata()
                    .withData(data)
                    .build();
            try {
                return toStored(update(updated, name)).orElseThrow();
            } catch (StoreConflictException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void recordProbe(StoredKubeconfig current, Instant at) {
        bestEffort(current, Map.of(PROBED_AT, at.toString()), java.util.List.of(REJECTED_SERIAL, REJECTED_AT,
                REJECTED_REASON));
    }

    @Override
    public void recordRejection(StoredKubeconfig current, Rejection rejection) {
        String reason = rejection.reason().length() > 300 ? rejection.reason().substring(0, 300) : rejection.reason();
        bestEffort(current, Map.of(PROBED_AT, rejection.at().toString(), REJECTED_SERIAL, rejection.serial(),
                REJECTED_AT, rejection.at().toString(), REJECTED_REASON, reason), java.util.List.of());
    }

    @Override
    public StoredKubeconfig recordRevocation(StoredKubeconfig current, Revocation revocation) {
        Map<String, String> set = new HashMap<>(Map.of(REVOCATION, revocation.phase().wireName(), REVOCATION_REASON,
                revocation.reason().length() > 300 ? revocation.reason().substring(0, 300) : revocation.reason(),
                REVOCATION_REQUESTED_AT, revocation.requestedAt().toString(), REVOCATION_SERIAL, revocation.serial()));
        revocation.revokedAt().ifPresent(at -> set.put(REVOKED_AT, at.toString()));
        String name = secretName(current.clusterId());
        Secret existing = read(name);
        if (existing == null || !current.version().equals(existing.getMetadata().getResourceVersion())) {
            throw new StoreConflictException("Secret " + namespace + "/" + name + " changed since it was read");
        }
        return toStored(update(new SecretBuilder(existing).editMetadata().addToAnnotations(set).endMetadata()
                .build(), name)).orElseThrow();
    }

    private void bestEffort(StoredKubeconfig current, Map<String, String> set, java.util.List<String> remove) {
        String name = secretName(current.clusterId());
        try {
            Secret existing = read(name);
            if (existing == null || !current.version().equals(existing.getMetadata().getResourceVersion())) {
                return;
            }
            Map<String, String> annotations = new HashMap<>(existing.getMetadata().getAnnotations() == null
                    ? Map.of() : existing.getMetadata().getAnnotations());
            remove.forEach(annotations::remove);
            annotations.putAll(set);
            update(new SecretBuilder(existing).editMetadata().withAnnotations(annotations).endMetadata().build(),
                    name);
        } catch (RuntimeException e) {
            LOG.debugf("could not annotate Secret %s/%s: %s", namespace, name, e.getClass().getSimpleName());
        }
    }

    @Override
    public void recordError(StoredKubeconfig current, String message, Instant at) {
        String name = secretName(current.clusterId());
        try {
            Secret existing = read(name);
            if (existing == null || !current.version().equals(existing.getMetadata().getResourceVersion())) {
                return;
            }
            Secret updated = new SecretBuilder(existing).editMetadata()
                    .addToAnnotations(LAST_ERROR, message.length() > 500 ? message.substring(0, 500) : message)
                    .addToAnnotations(LAST_ERROR_AT, at.toString())
                    .endMetadata().build();
            update(updated, name);
        } catch (RuntimeException e) {
            LOG.debugf("could not note the last error on Secret %s/%s: %s", namespace, name, e.getClass().getSimpleName());
        }
    }

    @Override
    public boolean recordEvent(ClusterId clusterId, Instant at, String reason, String message, boolean warning) {
        return HostEvents.record(client, namespace, at, "rotator", new HostEvents.Regarding("v1", "Secret", namespace,
                secretName(clusterId)), Map.of(CLUSTER_ID_LABEL, clusterId.value()), reason, message, warning);
    }

    private Secret read(String name) {
        try {
            return ApiAnswers.object(client.secrets().inNamespace(namespace).withName(name).get(), "the Secret read");
        } catch (KubernetesClientException e) {
            throw new StoreException("reading Secret " + namespace + "/" + name + " failed (" + ApiAnswers.describe(e)
                    + ")");
        }
    }

    private Secret update(Secret updated, String name) {
        try {
            return ApiAnswers.object(client.secrets().inNamespace(namespace).resource(updated).update(),
                    "the Secret update");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new StoreConflictException("Secret " + namespace + "/" + name + " changed since it was read");
            }
            throw new StoreException("updating Secret " + namespace + "/" + name + " failed (" + ApiAnswers.describe(e)
                    + ")");
        }
    }

    private static Map<String, String> annotations(Map<String, String> existing, StoreUpdate update) {
        Map<String, String> annotations = new HashMap<>(existing == null ? Map.of() : existing);
        Kubeconfig kubeconfig = update.kubeconfig();
        annotations.put(NOT_AFTER, kubeconfig.notAfter().toString());
        annotations.put(SUBJECT, kubeconfig.identity().subject());
        annotations.put(SERIAL, kubeconfig.identity().serial());
        annotations.put(ROTATED_AT, update.rotatedAt().toString());
        annotations.put(PROBED_AT, update.rotatedAt().toString());
        annotations.put(ACCESS, update.access().wireName());
        update.kubeSystemUid().ifPresent(uid -> annotations.put(KUBE_SYSTEM_UID, uid));
        update.previous().ifPresentOrElse(previous -> annotations.put(PREVIOUS_NOT_AFTER, previous.notAfter().toString()),
                () -> annotations.remove(PREVIOUS_NOT_AFTER));
        Instant authorities = kubeconfig.certificateAuthorities().stream().map(ca -> ca.getNotAfter().toInstant())
                .min(Instant::compareTo).orElse(kubeconfig.notAfter());
        annotations.put(FACTS, fingerprint(encode(kubeconfig.text())) + ";" + authorities + ";"
                + kubeconfig.insecureSkipTlsVerify());
        return annotations;
    }

    /** A SHA-256 prefix of the stored (Base64) data: enough to notice any edit, never the content. */
    private static String fingerprint(String storedData) {
        return io.ackrotator.signing.Digests.sha256Hex(storedData.getBytes(StandardCharsets.US_ASCII)).substring(0, 32);
    }

    /** The entry's facts, when its annotations still describe its data and nothing needs a closer look. */
    private static Optional<StoredFacts> facts(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
                : secret.getMetadata().getAnnotations();
        String data = secret.getData() == null ? null : secret.getData().get(DATA_KEY);
        String[] facts = annotations.getOrDefault(FACTS, "").split(";");
        if (data == null || facts.length != 3 || !facts[0].equals(fingerprint(data)) || !"false".equals(facts[2])
                || annotations.containsKey(REVOCATION) || annotations.containsKey(REJECTED_SERIAL)) {
            return Optional.empty();
        }
        Optional<Instant> notAfter = instant(annotations.get(NOT_AFTER));
        Optional<Instant> authorities = instant(facts[1]);
        if (notAfter.isEmpty() || authorities.isEmpty() || !annotations.containsKey(SUBJECT)) {
            return Optional.empty();
        }
        return Optional.of(new StoredFacts(notAfter.get(), authorities.get(), annotations.get(SUBJECT),
                instant(annotations.get(PROBED_AT))));
    }

    private static Map<String, String> data(StoreUpdate update) {
        Map<String, String> data = new HashMap<>();
        data.put(DATA_KEY, encode(update.kubeconfig().text()));
        update.previous().ifPresent(previous -> data.put(PREVIOUS_DATA_KEY, encode(previous.text())));
        return data;
    }

    private Optional<StoredKubeconfig> toStored(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels();
        Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
                : secret.getMetadata().getAnnotations();
        ClusterId clusterId;
        try {
            clusterId = ClusterId.of(labels.getOrDefault(CLUSTER_ID_LABEL, ""));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Secret %s/%s has an invalid %s label; ignored", namespace, secret.getMetadata().getName(),
                    CLUSTER_ID_LABEL);
            return Optional.empty();
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        AckAccess access;
        try {
            access = AckAccess.fromWireName(annotations.getOrDefault(ACCESS, "public"), ACCESS);
        } catch (IllegalArgumentException e) {
            access = AckAccess.PUBLIC;
        }
        return Optional.of(new StoredKubeconfig(clusterId, decode(data.get(DATA_KEY)),
                Optional.ofNullable(data.get(PREVIOUS_DATA_KEY)).map(SecretKubeconfigStore::decode), access,
                Optional.ofNullable(annotations.get(KUBE_SYSTEM_UID)), instant(annotations.get(ROTATED_AT)),
                Optional.ofNullable(annotations.get(LAST_ERROR)), secret.getMetadata().getResourceVersion(),
                instant(annotations.get(PROBED_AT)), rejection(annotations), revocation(annotations)));
    }

    private static Optional<Rejection> rejection(Map<String, String> annotations) {
        String serial = annotations.get(REJECTED_SERIAL);
        Optional<Instant> at = instant(annotations.get(REJECTED_AT));
        return serial == null || at.isEmpty() ? Optional.empty()
                : Optional.of(new Rejection(serial, at.get(), annotations.getOrDefault(REJECTED_REASON, "")));
    }

    /** A marker that doesn't read still means a revocation was started: REVOKING, the step that is safe to redo. */
    private static Optional<Revocation> revocation(Map<String, String> annotations) {
        String phase = annotations.get(REVOCATION);
        if (phase == null) {
            return Optional.empty();
        }
        return Optional.of(new Revocation(Revocation.Phase.of(phase).orElse(Revocation.Phase.REVOKING),
                annotations.getOrDefault(REVOCATION_REASON, ""),
                instant(annotations.get(REVOCATION_REQUESTED_AT)).orElse(Instant.EPOCH),
                annotations.getOrDefault(REVOCATION_SERIAL, ""), instant(annotations.get(REVOKED_AT))));
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        if (base64 == null) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Optional<Instant> instant(String value) {
        try {
            return Optional.ofNullable(value).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
