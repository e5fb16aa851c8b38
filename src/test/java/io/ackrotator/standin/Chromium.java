package io.ackrotator.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium from Debian's package, for tests that look at a page as a person would. The test set-up installs
 * the package when it is missing and the test runs as root with apt-get (as on the project's machines and CI);
 * otherwise it fails and says how to install it.
 */
public final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    public static synchronized Path locate() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        if (Files.isExecutable(Path.of("/usr/bin/apt-get")) && "root".equals(System.getProperty("user.name"))) {
            run(List.of("apt-get", "update", "-qq"), 600);
            run(List.of("apt-get", "install", "-y", "-qq", "chromium"), 900);
        }
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("headless Chromium is needed: apt-get install -y chromium");
        }
        return BINARY;
    }

    /** Renders {@code page} and returns the DOM after scripts and layout ran. */
    public static String dumpDom(Path page) throws IOException, InterruptedException {
        List<String> command = base();
        command.add("--dump-dom");
        command.add(page.toUri().toString());
        Path out = Files.createTempFile("dom", ".html");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish");
        }
        return Files.readString(out);
    }

    public static Path screenshot(Path page, int width, int height) throws IOException, InterruptedException {
        Path png = Files.createTempFile("screenshot", ".png");
        List<String> command = base();
        command.add("--window-size=" + width + "," + height);
        command.add("--screenshot=" + png);
        command.add(page.toUri().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish");
        }
        return png;
    }

    private static List<String> base() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(locate().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--user-data-dir=" + Files.createTempDirectory("chromium")));
        return command;
    }

    private static void run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
