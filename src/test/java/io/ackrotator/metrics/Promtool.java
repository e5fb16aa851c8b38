package io.ackrotator.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own rule checker, the real thing: from the PATH, else unpacked from Debian's prometheus package
 * into target/ (this machine reaches Debian's archive; no root needed for apt-get download and dpkg-deb -x).
 * Empty when neither works; the tests that need it then say so and are skipped.
 */
final class Promtool {

    private static final Path UNPACKED = Path.of("target/promtool");

    private Promtool() {
    }

    static synchronized Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path unpacked = UNPACKED.resolve("root/usr/bin/promtool");
        if (Files.isExecutable(unpacked)) {
            return Optional.of(unpacked);
        }
        try {
            Files.createDirectories(UNPACKED);
            if (run(UNPACKED, List.of("apt-get", "download", "prometheus")) != 0) {
                return Optional.empty();
            }
            try (var debs = Files.list(UNPACKED)) {
                Optional<Path> deb = debs.filter(p -> p.toString().endsWith(".deb")).findFirst();
                if (deb.isEmpty() || run(UNPACKED, List.of("dpkg-deb", "-x", deb.get().getFileName().toString(),
                        "root")) != 0) {
                    return Optional.empty();
                }
            }
            return Files.isExecutable(unpacked) ? Optional.of(unpacked) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static int run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("last-command.log").toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
