package io.ackrotator.standin;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The packaged function (target/quarkus-app) in its own process, started the way FC starts a custom runtime:
 * configuration through the environment only, port from FC_CUSTOM_LISTEN_PORT, stdout to a log file.
 */
public final class FunctionProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final Path log;
    private final int port;

    private FunctionProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static FunctionProcess start(Map<String, String> environment, Duration startTimeout) throws IOException,
            InterruptedException {
        return start(Path.of(System.getProperty("java.home")), java.util.List.of(), JAR, environment, startTimeout);
    }

    /** Starts {@code jar} on the JDK at {@code javaHome} with extra JVM options. */
    public static FunctionProcess start(Path javaHome, java.util.List<String> jvmOptions, Path jar,
            Map<String, String> environment, Duration startTimeout) throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B package -DskipTests)");
        }
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return start(command, environment, startTimeout);
    }

    /** Starts any build of the function (a native binary, say) with this command line. */
    public static FunctionProcess start(java.util.List<String> command, Map<String, String> environment,
            Duration startTimeout) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("ack-kubeconfig-rotator", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("FC_CUSTOM_LISTEN_PORT", Integer.toString(port));
        FunctionProcess function = new FunctionProcess(builder.start(), log, port);
        function.awaitInitialized(startTimeout);
        return function;
    }

    private void awaitInitialized(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                        + "/initialize").toURL().openConnection();
                connection.setRequestMethod("POST");
                connection.setRequestProperty("x-fc-request-id", "initialize");
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                throw new IllegalStateException("the function did not start:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public Process process() {
        return process;
    }

    /** CPU time the process has used so far (user + system), in seconds, from /proc (clock ticks of 10 ms). */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Resident set size now and at its peak, in MiB, from /proc. */
    public long[] rssMiB() throws IOException {
        long current = 0;
        long peak = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                current = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return new long[] {current, peak};
    }

    /** Stops the function; its whole log (stdout and stderr) must hold no secret material. */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        process.waitFor();
        Leaks.assertNone("the packaged function's log", log());
    }
}
