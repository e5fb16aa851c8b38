package io.ackrotator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's demo, run by the test suite: every step behaves, and the report shows every cluster. */
class DemoIT {

    @Test
    void theDemoRunsCleanAndItsReportShowsEveryClusterBeforeAndAfter() throws Exception {
        Path report = Path.of("target/demo-report-it.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> failures = new Demo(new PrintStream(out, true, StandardCharsets.UTF_8), false, report).run();
        String console = out.toString(StandardCharsets.UTF_8);

        assertEquals(List.of(), failures, console);
        assertTrue(console.contains("Every step behaved as expected"), console);
        assertFalse(console.contains("\u001b["), "no colour codes when not on a terminal");
        String html = Files.readString(report);
        for (Demo.Cluster cluster : Demo.FLEET) {
            assertTrue(html.contains("data-cluster=\"" + cluster.id() + "\" data-bar=\"after\""), cluster.name());
            assertTrue(html.contains(cluster.name()), cluster.name());
            if (cluster.stored()) {
                assertTrue(html.contains("data-cluster=\"" + cluster.id() + "\" data-bar=\"before\""), cluster.name());
            }
        }
        for (String fetch : List.of("src=", "href=", "url(", "@import", "http://", "https://")) {
            assertFalse(html.contains(fetch), "self-contained, yet it contains " + fetch);
        }
        assertFalse(html.contains("client-key-data") || html.contains("PRIVATE KEY"));
    }
}
