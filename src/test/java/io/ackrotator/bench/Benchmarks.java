package io.ackrotator.bench;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark harness: the packaged function over real HTTP against the stand-ins, figures side by side in one run.
 * {@code ./mvnw -B -Pbench package -DskipTests} (full, ~5 min) or with {@code -Dbench.args=--quick} (~2 min).
 * Prints a table and writes bench/results/&lt;date&gt;.md.
 */
public final class Benchmarks {

    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final Path BARE_JAR = Path.of("bench/bare-app/target/quarkus-app/quarkus-run.jar");
    static final String CALLER_TOKEN = "bench-caller-token-0000";
    static final String STEADY_JWT = "bench-host-jwt-secret";
    /** The JVM flags of deploy/fc/bootstrap, on a 512 MB FC instance (s.yaml memorySize) - for ours and the bare app. */
    static final List<String> FC_JVM = List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=70",
            "-XX:TieredStopAtLevel=1", "-XX:MaxRAM=512m");

    private final boolean quick;
    private final List<String> lines = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.valueOf(System.getProperty("bench.http", "HTTP_1_1"))).build();

    Benchmarks(boolean quick) {
        this.quick = quick;
    }

    /**
     * Held, so the level sticks: JUL keeps loggers weakly, and a level set on one nobody references is lost with it
     * (which is how a quick run used to print every request of the Kubernetes mock).
     */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        io.ackrotator.standin.TestPki.reuseLeafKeys();
        boolean quick = Arrays.asList(args).contains("--quick") || Arrays.asList(args).contains("quick");
        int exit = 1;
        try {
            new Benchmarks(quick).run();
            exit = 0;
        } finally {
            System.exit(exit); // client event-loop threads linger; the harness decides when it is done
        }
    }

    void run() throws Exception {
        out("# Benchmarks " + LocalDate.now() + (quick ? " (--quick)" : ""));
        out("");
        out("Machine: " + machine());
        out("");
        out("Every JVM (ours and the bare app) runs with the flags of deploy/fc/bootstrap as on a 512 MB FC instance: "
                + String.join(" ", FC_JVM) + ".");
        out("");
        out("The ACK stand-in signs every client certificate with one of 16 pooled RSA keys (TestPki.reuseLeafKeys): "
                + "generating a key per certificate would put ~80 ms of stand-in CPU per rotation on the same cores.");
        out("");
        String only = System.getProperty("bench.only", "");
        if (only.isEmpty() || only.equals("startup")) {
            startup();
        }
        if (only.isEmpty() || only.equals("sweeps")) {
            sweeps();
        }
        if (only.isEmpty() || only.equals("steady")) {
            steadyState();
        }
        if (only.isEmpty() || only.equals("fanout")) {
            fanout();
        }
        if (only.isEmpty() || only.equals("issuance")) {
            issuance();
        }
        Path results = Path.of("bench/results/" + LocalDate.now() + (quick ? "-quick" : "") + ".md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, String.join("\n", lines) + "\n");
        System.out.println("\nwritten to " + results);
    }

    // ------------------------------------------------------------------ 1. start-up

    void startup() throws Exception {
        buildBareApp();
        int runs = quick ? 3 : 5;
        out("## Start-up (launch to first answer; median of " + runs + " runs)");
        out("");
        out("| variant | /initialize ms | first status ms | RSS after MiB | bare /initialize ms | bare RSS MiB | "
                + "ours / bare |");
        out("|---|---|---|---|---|---|---|");
        Path jdk17 = Path.of(System.getProperty("java.home"));
        List<Object[]> variants = new ArrayList<>();
        variants.add(new Object[] {"JDK 17 fast-jar", jdk17, List.of(), List.of()});
        if (Files.isDirectory(JDK25)) {
            variants.add(new Object[] {"JDK 25 fast-jar", JDK25, List.of(), List.of()});
            Path oursAot = Path.of("target/bench/ours.aot").toAbsolutePath();
            Path bareAot = Path.of("target/bench/bare.aot").toAbsolutePath();
            train(JDK25, FunctionProcess.JAR, oursAot, true);
            train(JDK25, BARE_JAR, bareAot, false);
            variants.add(new Object[] {"JDK 25 + AOT cache", JDK25, List.of("-XX:AOTCache=" + oursAot),
                    List.of("-XX:AOTCache=" + bareAot)});
        }
        Map<String, Long> medians = new LinkedHashMap<>();
        for (Object[] variant : variants) {
            @SuppressWarnings("unchecked")
            List<String> oursOptions = (List<String>) variant[2];
            @SuppressWarnings("unchecked")
            List<String> bareOptions = (List<String>) variant[3];
            long[] ours = measureStartup((Path) variant[1], oursOptions, FunctionProcess.JAR, true, runs);
            long[] bare = measureStartup((Path) variant[1], bareOptions, BARE_JAR, false, runs);
            medians.put((String) variant[0], ours[0]);
            out(String.format("| %s | %d | %d | %d | %d | %d | %.2f |", variant[0], ours[0], ours[1], ours[2], bare[0],
                    bare[2], (double) ours[0] / bare[0]));
        }
        if (medians.containsKey("JDK 25 + AOT cache")) {
            out("");
            out(String.format("AOT cache / plain JDK 25: %.2f (target <= 0.5)",
                    (double) medians.get("JDK 25 + AOT cache") / medians.get("JDK 25 fast-jar")));
        }
        out("");
    }

    /** CPU used by this JVM: the harness and every stand-in (ACK, members, Kubernetes mock). */
    static double standInCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static List<String> withFcJvm(List<String> options) {
        List<String> all = new ArrayList<>(FC_JVM);
        all.addAll(options);
        return all;
    }

    /** {median ms to /initialize, median ms to first status, median RSS MiB}. */
    long[] measureStartup(Path javaHome, List<String> options, Path jar, boolean ours, int runs) throws Exception {
        List<Long> initialize = new ArrayList<>();
        List<Long> status = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Environment environment = ours ? Environment.start(0) : null) {
                Map<String, String> env = ours ? environment.functionEnv(Map.of()) : Map.of();
                long launched = System.nanoTime();
                try (FunctionProcess function = FunctionProcess.start(javaHome, withFcJvm(options), jar, env,
                        Duration.ofSeconds(60))) {
                    initialize.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));
                    post(function, "/status", ours ? "{}" : "", "Bearer " + StandIns.ADMIN_TOKEN);
                    status.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));
                    rss.add(function.rssMiB()[0]);
                }
            }
        }
        return new long[] {median(initialize), median(status), median(rss)};
    }

    /** JDK 25 AOT cache, trained in place: a run that serves typical requests, written at exit. */
    void train(Path javaHome, Path jar, Path cache, boolean ours) throws Exception {
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        try (Environment environment = ours ? Environment.start(20) : null) {
            Map<String, String> env = ours ? environment.functionEnv(Map.of()) : Map.of();
            try (FunctionProcess function = FunctionProcess.start(javaHome, withFcJvm(List.of("-XX:AOTCacheOutput=" + cache)),
                    jar, env, Duration.ofSeconds(120))) {
                for (int i = 0; i < 3; i++) {
                    post(function, "/status", ours ? "{}" : "", "Bearer " + StandIns.ADMIN_TOKEN);
                    if (ours) {
                        post(function, "/invoke", "{\"action\":\"sweep\"}", "");
                    }
                }
            }
        }
        for (int i = 0; i < 600 && !Files.exists(cache); i++) {
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------ 2. sweeps

    void sweeps() throws Exception {
        int qps = 100;
        List<Integer> sizes = quick ? List.of(100, 1000) : List.of(100, 1000, 5000);
        out("## Sweep throughput (every cluster due; ACK stand-in: 20 ms per call, " + qps
                + " requests/s then Throttling.User; ack.max-qps=" + qps + "; function: " + function() + ")");
        out("");
        out("| clusters | parallelism | sweep s | rate-limit bound s | sweep / bound | ACK calls per cluster | "
                + "Kubernetes calls per cluster | peak RSS MiB | ms per cluster | function CPU s | stand-ins CPU s |");
        out("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            sweep(n, 8, qps);
        }
        sweep(100, 1, qps);
        out("");
    }

    void sweep(int clusters, int parallelism, int qps) throws Exception {
        try (Environment environment = Environment.start(clusters)) {
            environment.ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(20));
            environment.ack.withQpsLimit(qps);
            Map<String, String> env = environment.functionEnv(Map.of("ACK_MAX_QPS", Integer.toString(qps),
                    "ROTATOR_PARALLELISM", Integer.toString(parallelism), "KUBERNETES_REQUEST_TIMEOUT", "30000"));
            try (FunctionProcess function = startFunction(env)) {
                Process perf = perf(function, "sweep-" + clusters + "-" + parallelism);
                environment.ack.clearCalls();
                int k8sBefore = environment.kubernetes.getRequestCount();
                double functionCpu = function.cpuSeconds();
                double standInCpu = standInCpuSeconds();
                long started = System.nanoTime();
                String report = post(function, "/rotate", "{}", "Bearer " + StandIns.ADMIN_TOKEN);
                double seconds = (System.nanoTime() - started) / 1e9;
                functionCpu = function.cpuSeconds() - functionCpu;
                standInCpu = standInCpuSeconds() - standInCpu;
                int k8s = environment.kubernetes.getRequestCount() - k8sBefore;
                if (!report.contains("\"rotated\":" + clusters)) {
                    throw new IllegalStateException("sweep of " + clusters + " did not rotate them all: "
                            + report.substring(0, Math.min(400, report.length())));
                }
                double bound = (double) clusters / qps;
                out(String.format("| %d | %d | %.1f | %.1f | %.2f | %.2f | %.2f | %d | %.1f | %.1f | %.1f |", clusters,
                        parallelism, seconds, bound, seconds / bound, (double) environment.ack.calls().size() / clusters,
                        (double) k8s / clusters, function.rssMiB()[1], seconds * 1000 / clusters, functionCpu,
                        standInCpu));
                stop(perf);
                if (System.getenv("BENCH_MEM") != null) { // where the memory went, for the results' analysis
                    Files.writeString(Path.of(System.getenv("BENCH_MEM") + "-" + clusters + ".txt"), Files.readString(
                            Path.of("/proc/" + function.process().pid() + "/status")) + new String(new ProcessBuilder(
                            "pmap", "-x", Long.toString(function.process().pid())).start().getInputStream()
                            .readAllBytes()));
                }
            }
        }
    }

    static String function() {
        return System.getProperty("bench.native", "").isEmpty() ? "JVM with the deployment's flags"
                : "the native binary";
    }

    /** The function as deployed: the native binary of {@code bench.native} if given, else the JVM with FC's flags. */
    static FunctionProcess startFunction(Map<String, String> env) throws Exception {
        String binary = System.getProperty("bench.native", "");
        List<String> command = new ArrayList<>(List.of(binary));
        // deploy/fc/bootstrap starts the binary with no flags of its own; bench.native-flags tries some (-Xmx...)
        command.addAll(List.of(System.getProperty("bench.native-flags", "").split(" +")));
        command.removeIf(String::isBlank);
        return binary.isEmpty() ? FunctionProcess.start(Path.of(System.getProperty("java.home")), FC_JVM,
                FunctionProcess.JAR, env, Duration.ofSeconds(60))
                : FunctionProcess.start(command, env, Duration.ofSeconds(60));
    }

    /**
     * With {@code BENCH_PERF} set (a path prefix), a sampling profile of the function until {@link #stop}: the
     * native binary has no JFR. Its call stacks need a binary built with frame pointers and symbols (README).
     */
    static Process perf(FunctionProcess function, String name) throws IOException {
        String prefix = System.getenv("BENCH_PERF");
        return prefix == null ? null : new ProcessBuilder("perf", "record", "-F", "999", "-g", "-o",
                prefix + "-" + name + ".data", "-p", Long.toString(function.process().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void stop(Process perf) throws InterruptedException {
        if (perf != null) {
            perf.destroy();
            perf.waitFor();
        }
    }

    // ------------------------------------------------------------------ 2b. the quiet day

    /**
     * What a user pays every day: a fleet where 1% is due and a third are KubeSphere members, each run on a fresh
     * function process (as a daily FC timer mostly meets one) and then once more on the now warm process: KubeSphere
     * off, KubeSphere on, and nothing due (the baseline a rotation's cost is read against).
     */
    void steadyState() throws Exception {
        int qps = 100;
        List<Integer> sizes = quick ? List.of(1000) : List.of(1000, 5000);
        out("## The quiet day (1% due, a third KubeSphere members; ACK stand-in 20 ms per call, " + qps
                + " requests/s; each run on a fresh function process, then again on the warm one; function: "
                + function() + ")");
        out("");
        out("| clusters | run | sweep s | function CPU s | ACK calls per cluster | Kubernetes calls per cluster | "
                + "member requests per member | stand-ins CPU s |");
        out("|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            List<Steady> off = steady(n, 10, false, qps);
            List<Steady> on = steady(n, 10, true, qps);
            List<Steady> none = steady(n, 0, false, qps);
            row(n, "KubeSphere off, cold", off.get(0));
            row(n, "KubeSphere off, warm (nothing due)", off.get(1));
            row(n, "members, cold (first sweep of the day)", on.get(0));
            row(n, "members, warm (within the probe interval)", on.get(1));
            row(n, "nothing due, KubeSphere off, cold", none.get(0));
            int due = n / 100;
            int members = n / 3;
            out("");
            out(String.format("%d clusters: per not-due cluster %.2f ms CPU warm, %.2f cold (target <= 1), %.3f ACK "
                    + "calls (target 0); per member check %.1f ms CPU (cold, target <= 5); per rotated cluster %.1f ms "
                    + "CPU (cold, target <= 8); member requests within the interval: %d (target 0 but for members "
                    + "whose Cluster the first sweep rewrote: each is checked once more).", n,
                    off.get(1).functionCpu() * 1000 / n, none.get(0).functionCpu() * 1000 / n,
                    (double) off.get(1).ackCalls() / n,
                    (on.get(0).functionCpu() - off.get(0).functionCpu()) * 1000 / members,
                    (off.get(0).functionCpu() - none.get(0).functionCpu()) * 1000 / due, on.get(1).memberRequests()));
            out("");
        }
    }

    /** One steady-state measurement: a sweep's wall time, CPU and calls. */
    record Steady(double seconds, double functionCpu, int ackCalls, int kubernetesCalls, int memberRequests,
            double standInCpu, int clusters, int members) {
    }

    void row(int n, String run, Steady s) {
        out(String.format("| %d | %s | %.1f | %.2f | %.3f | %.2f | %.2f | %.1f |", n, run, s.seconds(),
                s.functionCpu(), (double) s.ackCalls() / n, (double) s.kubernetesCalls() / n,
                s.members() == 0 ? 0.0 : (double) s.memberRequests() / s.members(), s.standInCpu()));
    }

    /** Two sweeps on one fresh function process: cold, then warm. {@code duePerMille}: how many are due. */
    List<Steady> steady(int clusters, int duePerMille, boolean kubesphere, int qps) throws Exception {
        try (Environment environment = Environment.steady(clusters, duePerMille, kubesphere)) {
            environment.ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(20));
            environment.ack.withQpsLimit(qps);
            Map<String, String> env = environment.functionEnv(Map.of("ACK_MAX_QPS", Integer.toString(qps),
                    "ROTATOR_PARALLELISM", "8", "KUBERNETES_REQUEST_TIMEOUT", "30000",
                    "ROTATOR_KUBESPHERE_ENABLED", Boolean.toString(kubesphere),
                    "QUARKUS_LOG_CATEGORY__IO_ACKROTATOR_KUBESPHERE__LEVEL", "WARN"));
            if (System.getenv("BENCH_JFR") != null && kubesphere) {
                env = new HashMap<>(env);
                env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + System.getenv("BENCH_JFR")
                        + ",settings=profile");
            }
            try (FunctionProcess function = startFunction(env)) {
                Process perf = perf(function, (kubesphere ? "members" : "off") + "-" + duePerMille);
                List<Steady> runs = new ArrayList<>();
                for (int run = 0; run < 2; run++) {
                    environment.client.leases().inNamespace("kubeconfig-rotator").delete();
                    environment.ack.clearCalls();
                    int k8sBefore = environment.kubernetes.getRequestCount();
                    int memberBefore = environment.memberRequests();
                    double functionCpu = function.cpuSeconds();
                    double standInCpu = standInCpuSeconds();
                    long started = System.nanoTime();
                    String report = post(function, "/rotate", "{}", "Bearer " + StandIns.ADMIN_TOKEN);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    if (run == 0 && !report.contains("\"rotated\":" + clusters * duePerMille / 1000)) {
                        throw new IllegalStateException("the steady sweep of " + clusters + " did not rotate the 1%: "
                                + report.substring(0, Math.min(400, report.length())));
                    }
                    runs.add(new Steady(seconds, function.cpuSeconds() - functionCpu, environment.ack.calls().size(),
                            environment.kubernetes.getRequestCount() - k8sBefore,
                            environment.memberRequests() - memberBefore, standInCpuSeconds() - standInCpu, clusters,
                            kubesphere ? clusters / 3 : 0));
                }
                stop(perf);
                return runs;
            }
        }
    }

    // ------------------------------------------------------------------ 2c. fan-out

    static final List<String> REGIONS = List.of("cn-hangzhou", "cn-shanghai", "cn-beijing");
    static final String PROD_ROLE = "acs:ram::1800000000000002:role/ack-kubeconfig-rotator";
    static final String PROD_UID = "380000000000000042";

    /**
     * A fleet of new clusters over 3 regions × 2 accounts, each account-region's ACK limited to 100 requests/s,
     * adopted by a fanned-out sweep on the FC stand-in with N function instances; wall time against the larger of
     * the rate-limit bound and the CPU bound (the instances' CPU-seconds over the cores they had), and each cluster
     * stored exactly once, also when an instance is killed mid-batch.
     */
    void fanout() throws Exception {
        int clusters = quick ? 2000 : 10000;
        int qps = 100;
        int cores = Runtime.getRuntime().availableProcessors();
        out("## Fan-out (" + clusters + " new clusters, 3 regions x 2 accounts, ACK 100 requests/s per account and "
                + "region, batches of 100, FC stand-in retrying x-fc-status 404 and dead instances)");
        out("");
        out("| instances | killed mid-batch | sweep s | rate-limit bound s | CPU bound s | sweep / bound | ACK calls per "
                + "cluster | each stored once | tasks (attempts) | function CPU s | stand-ins CPU s | machine bound s |");
        out("|---|---|---|---|---|---|---|---|---|---|---|---|");
        String only = System.getProperty("bench.instances", ""); // one instance count, to profile it alone
        for (int instances : List.of(1, 2, 4)) {
            if (only.isEmpty() || only.equals(Integer.toString(instances))) {
                fanoutRun(clusters, qps, instances, cores, false);
            }
        }
        if (only.isEmpty()) {
            fanoutRun(clusters, qps, 2, cores, true);
        }
        out("");
    }

    void fanoutRun(int clusters, int qps, int instances, int cores, boolean kill) throws Exception {
        FakeAck home = FakeAck.start();
        List<FakeAck> regions = new ArrayList<>(List.of(home));
        for (String region : REGIONS.subList(1, REGIONS.size())) {
            regions.add(FakeAck.inRegion(home, region));
        }
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<>(), new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        KubernetesClient client = kubernetes.createClient();
        List<FunctionProcess> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        double[] cpuOfGone = {0};
        try {
            home.inAccount(home.defaultIdentity().uid(), "1700000000000001");
            home.sts().addRole(new io.ackrotator.standin.FakeSts.Role(PROD_ROLE, PROD_UID,
                    java.util.Set.of(home.defaultIdentity().uid()), Optional.of("bench-external-id")));
            FakeAck.FakeCluster[] templates = new FakeAck.FakeCluster[regions.size()];
            for (int i = 0; i < clusters; i++) {
                int region = i % regions.size();
                String id = String.format("c%032x", 0xfa000 + i);
                FakeAck ack = regions.get(region);
                FakeAck.FakeCluster cluster = templates[region] == null ? ack.addCluster(id, "fan-" + i)
                        : ack.addClusterSharing(id, "fan-" + i, templates[region]);
                templates[region] = templates[region] == null ? cluster : templates[region];
                cluster.ownedBy((i / regions.size()) % 2 == 0 ? "1700000000000001" : "1800000000000002");
            }
            for (FakeAck ack : regions) {
                ack.bindShippedRbacTo(PROD_UID);
                ack.withQpsLimit(qps);
                ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(20));
            }
            Map<String, String> env = StandIns.packagedFunctionEnvironment(home, client.getMasterUrl().toString());
            env.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
            env.put("ROTATOR_KUBESPHERE_ENABLED", "false");
            env.put("ROTATOR_DISCOVER", "true");
            env.put("ACK_REGION", REGIONS.get(0));
            env.put("ROTATOR_REGIONS", String.join(",", REGIONS));
            for (int r = 1; r < REGIONS.size(); r++) {
                env.put("ACK_REGION_ENDPOINTS_" + REGIONS.get(r).toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                        regions.get(r).endpoint());
            }
            env.put("ROTATOR_ACCOUNTS_PROD_ROLE_ARN", PROD_ROLE);
            env.put("ROTATOR_ACCOUNTS_PROD_EXTERNAL_ID", "bench-external-id");
            env.put("ROTATOR_FANOUT_ENABLED", "true");
            env.put("ROTATOR_FANOUT_FUNCTION_NAME", "ack-kubeconfig-rotator-events");
            env.put("ROTATOR_FANOUT_BATCH_SIZE", "100");
            env.put("ACK_MAX_QPS", Integer.toString(qps));
            env.put("ROTATOR_PARALLELISM", "8");
            env.put("KUBERNETES_REQUEST_TIMEOUT", "30000");
            env.put("QUARKUS_LOG_CATEGORY__IO_ACKROTATOR_ROTATION__LEVEL", "WARN");
            io.ackrotator.standin.FakeFc[] fc = new io.ackrotator.standin.FakeFc[1];
            fc[0] = new io.ackrotator.standin.FakeFc("ack-kubeconfig-rotator-events",
                    key -> Optional.ofNullable(home.identity(key)), instances, slot -> {
                        Map<String, String> withFc = new HashMap<>(env);
                        withFc.put("ROTATOR_FANOUT_ENDPOINT", fc[0].endpoint());
                        try {
                            FunctionProcess process = FunctionProcess.start(Path.of(System.getProperty("java.home")),
                                    FC_JVM, FunctionProcess.JAR, withFc, Duration.ofSeconds(60));
                            started.add(process);
                            return process;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            try (io.ackrotator.standin.FakeFc faas = fc[0]) {
                for (int slot = 0; slot < instances; slot++) {
                    faas.instance(slot); // warm instances, as FC keeps them between invocations of a busy function
                }
                double functionCpu = cpu(started);
                double standInCpu = standInCpuSeconds();
                long begin = System.nanoTime();
                HttpResponse<String> timer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + faas.instance(0).port() + "/invoke")).header("x-fc-request-id", "bench-timer-" + instances)
                        .header("Content-Type", "application/octet-stream").timeout(Duration.ofMinutes(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"sweep\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (timer.statusCode() != 200) {
                    throw new IllegalStateException("the fan-out answered " + timer.statusCode() + ": "
                            + timer.body().substring(0, Math.min(300, timer.body().length())));
                }
                if (kill) {
                    killOneBusyInstance(faas, started, cpuOfGone);
                }
                faas.awaitIdle(Duration.ofMinutes(20));
                double seconds = (System.nanoTime() - begin) / 1e9;
                functionCpu = cpu(started) + cpuOfGone[0] - functionCpu;
                standInCpu = standInCpuSeconds() - standInCpu;
                long describes = regions.stream().mapToLong(a -> a.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG)
                        .size()).sum();
                long calls = regions.stream().mapToLong(a -> a.calls().size()).sum();
                long stored = client.secrets().inNamespace("kubeconfig-rotator").list().getItems().size();
                boolean once = stored == clusters && describes >= clusters;
                int attempts = faas.tasks().stream().mapToInt(io.ackrotator.standin.FakeFc.Task::attempts).sum();
                double rateBound = (double) clusters / (REGIONS.size() * 2 * qps);
                double cpuBound = functionCpu / Math.min(instances, cores);
                // the stand-ins share the same cores: all CPU over the cores is what this machine can do at best
                double machineBound = (functionCpu + standInCpu) / cores;
                out(String.format("| %d | %s | %.1f | %.1f | %.1f | %.2f | %.2f | %s (%d asked for twice) | %d (%d) | "
                        + "%.1f | %.1f | %.1f |", instances, kill ? "yes" : "no", seconds, rateBound, cpuBound,
                        seconds / Math.max(rateBound, cpuBound), (double) calls / clusters, once ? "yes" : "NO",
                        describes - clusters, faas.tasks().size(), attempts, functionCpu, standInCpu, machineBound));
            }
        } finally {
            client.close();
            kubernetes.destroy();
            for (FakeAck ack : regions) {
                ack.close();
            }
        }
    }

    static double cpu(List<FunctionProcess> processes) {
        double total = 0;
        for (FunctionProcess process : processes) {
            try {
                total += process.process().isAlive() ? process.cpuSeconds() : 0;
            } catch (IOException e) {
                // gone meanwhile: counted when it was killed
            }
        }
        return total;
    }

    /** Kills the first instance caught running a batch (its CPU until then still counts). */
    static void killOneBusyInstance(io.ackrotator.standin.FakeFc faas, List<FunctionProcess> started,
            double[] cpuOfGone) throws Exception {
        for (int i = 0; i < 2000; i++) {
            for (io.ackrotator.standin.FakeFc.Task task : faas.tasks()) {
                Optional<FunctionProcess> running = faas.runningTask(task.id());
                if (running.isPresent() && task.attempts() == 1) {
                    Thread.sleep(200); // well into the batch
                    cpuOfGone[0] += running.get().cpuSeconds();
                    running.get().process().destroyForcibly().waitFor();
                    started.remove(running.get());
                    return;
                }
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------ 3. issuance

    void issuance() throws Exception {
        int calls = quick ? 300 : 1000;
        try (Environment environment = Environment.start(1)) {
            Map<String, String> env = environment.functionEnv(Map.of(
                    "ROTATOR_ISSUE_CALLERS_BENCH_TOKEN_SHA256", StandIns.sha256Hex(CALLER_TOKEN),
                    "ROTATOR_ISSUE_CALLERS_BENCH_CLUSTERS", "*",
                    "ROTATOR_ISSUE_CALLERS_BENCH_MAX_PER_HOUR", "1000000",
                    "ROTATOR_ISSUE_CALLERS_BENCH_IDENTITY", "function",
                    // The default ack.max-qps (10) would space sequential calls 100 ms apart: lift it to see our cost.
                    "ACK_MAX_QPS", "10000",
                    "ROTATOR_ISSUE_AUDIT_EVENTS", System.getProperty("bench.audit-events", "true")));
            try (FunctionProcess function = startFunction(env)) {
                String body = "{\"clusterId\":\"" + environment.firstCluster + "\",\"validityMinutes\":60}";
                for (int i = 0; i < 50; i++) {
                    post(function, "/issue", body, "Bearer " + CALLER_TOKEN); // warm-up
                }
                int skip = environment.ack.describeHandlingNanos().size();
                Process perf = perf(function, "issuance");
                List<Long> total = new ArrayList<>();
                List<Long> host = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    long hostBefore = environment.host.nanos();
                    long started = System.nanoTime();
                    post(function, "/issue", body, "Bearer " + CALLER_TOKEN);
                    total.add(System.nanoTime() - started);
                    host.add(environment.host.nanos() - hostBefore);
                }
                stop(perf);
                List<Long> standIn = environment.ack.describeHandlingNanos().subList(skip, skip + calls);
                List<Long> overhead = new ArrayList<>();
                List<Long> own = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    overhead.add(total.get(i) - standIn.get(i));
                    own.add(total.get(i) - standIn.get(i) - host.get(i));
                }
                out("## Issuance latency (" + calls + " sequential POST /issue, stand-in at 0 ms latency, "
                        + "ack.max-qps lifted to 10000; function: " + function() + ")");
                out("");
                out("| | p50 ms | p99 ms |");
                out("|---|---|---|");
                out(String.format("| end to end | %.2f | %.2f |", percentile(total, 50), percentile(total, 99)));
                out(String.format("| stand-in's own time | %.2f | %.2f |", percentile(standIn, 50),
                        percentile(standIn, 99)));
                out(String.format("| function overhead (end to end - stand-in) | %.2f | %.2f |",
                        percentile(overhead, 50), percentile(overhead, 99)));
                out(String.format("| host stand-in's own time (the quota update and the audit Event) | %.2f | %.2f |",
                        percentile(host, 50), percentile(host, 99)));
                out(String.format("| the function's own time (end to end - both stand-ins) | %.2f | %.2f |",
                        percentile(own, 50), percentile(own, 99)));
                out("");
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** The fabric8 CRUD mock, adding up the time it spends answering (the host stand-in's own time). */
    static final class TimedCrudDispatcher extends KubernetesCrudDispatcher {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest
                request) {
            long started = System.nanoTime();
            try {
                return super.dispatch(request);
            } finally {
                nanos.addAndGet(System.nanoTime() - started);
            }
        }

        long nanos() {
            return nanos.get();
        }
    }

    /** ACK stand-in with {@code clusters} due clusters stored in a CRUD Kubernetes store. */
    static final class Environment implements AutoCloseable {
        final FakeAck ack = FakeAck.start();
        final TimedCrudDispatcher host = new TimedCrudDispatcher();
        final KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<>(), host, false);
        KubernetesClient client;
        String firstCluster;

        static Environment start(int clusters) {
            Environment environment = new Environment();
            environment.kubernetes.init();
            environment.client = environment.kubernetes.createClient();
            environment.seed(clusters);
            return environment;
        }

        void seed(int clusters) {
            SecretKubeconfigStore store = new SecretKubeconfigStore(client, "kubeconfig-rotator");
            FakeAck.FakeCluster template = null;
            for (int i = 0; i < Math.max(1, clusters); i++) {
                String id = String.format("c%032x", 0xbe000 + i);
                FakeAck.FakeCluster cluster = template == null ? ack.addCluster(id, "bench-" + i)
                        : ack.addClusterSharing(id, "bench-" + i, template);
                template = template == null ? cluster : template;
                firstCluster = firstCluster == null ? id : firstCluster;
                if (clusters > 0) {
                    Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(),
                            Duration.ofDays(30), false));
                    store.create(ClusterId.of(id), new StoreUpdate(kubeconfig, Optional.empty(), AckAccess.PUBLIC,
                            Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant()));
                }
            }
        }

        FakeAck.FakeCluster template;

        /**
         * {@code duePerMille} of the clusters due, the rest not; with {@code kubesphere}, every third cluster a direct
         * member of a KubeSphere host.
         */
        static Environment steady(int clusters, int duePerMille, boolean kubesphere) {
            Environment environment = new Environment();
            environment.kubernetes.init();
            environment.client = environment.kubernetes.createClient();
            SecretKubeconfigStore store = new SecretKubeconfigStore(environment.client, "kubeconfig-rotator");
            io.ackrotator.standin.KubeSphereHost host = kubesphere
                    ? new io.ackrotator.standin.KubeSphereHost(environment.client).install(STEADY_JWT) : null;
            for (int i = 0; i < clusters; i++) {
                String id = String.format("c%032x", 0x5e000 + i);
                FakeAck.FakeCluster cluster = environment.template == null
                        ? environment.ack.addCluster(id, "steady-" + i)
                        : environment.ack.addClusterSharing(id, "steady-" + i, environment.template);
                if (environment.template == null) {
                    environment.template = cluster;
                    cluster.member().installKubeSphere(STEADY_JWT, "member");
                }
                Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm(environment.ack.defaultIdentity().uid(),
                        duePerMille > 0 && i % (1000 / duePerMille) == 0 ? Duration.ofDays(30) : Duration.ofDays(900),
                        false));
                store.create(ClusterId.of(id), new StoreUpdate(kubeconfig, Optional.empty(), AckAccess.PUBLIC,
                        Optional.of(cluster.member().kubeSystemUid()), environment.ack.clock().instant()));
                if (host != null && i % 3 == 1) {
                    host.addDirectMember("member-" + i, id, kubeconfig.text(), cluster.member().kubeSystemUid());
                }
            }
            return environment;
        }

        int memberRequests() {
            return template == null ? 0 : template.member().requestCount();
        }

        Map<String, String> functionEnv(Map<String, String> extra) {
            Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, client.getMasterUrl().toString());
            env.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
            env.put("ROTATOR_KUBESPHERE_ENABLED", "false");
            env.put("QUARKUS_LOG_CATEGORY__IO_ACKROTATOR_ROTATION__LEVEL", "WARN");
            env.putAll(extra);
            return env;
        }

        @Override
        public void close() {
            client.close();
            kubernetes.destroy();
            ack.close();
        }
    }

    String post(FunctionProcess function, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    void buildBareApp() throws IOException, InterruptedException {
        if (Files.exists(BARE_JAR)) {
            return;
        }
        Process build = new ProcessBuilder("./mvnw", "-B", "-q", "-f", "bench/bare-app/pom.xml", "package",
                "-DskipTests").inheritIO().start();
        if (build.waitFor() != 0) {
            throw new IllegalStateException("building bench/bare-app failed");
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static double percentile(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap for the harness, JDK "
                + System.getProperty("java.version") + " and " + (Files.isDirectory(JDK25) ? "Temurin 25" : "no JDK 25");
    }

    void out(String line) {
        System.out.println(line);
        lines.add(line);
    }
}
