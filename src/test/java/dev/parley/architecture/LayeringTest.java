package dev.parley.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layers of ARCHITECTURE.md: each package imports only from the layers below it. */
class LayeringTest {
    /** Bottom to top. */
    private static final List<String> LAYERS = List.of("codec", "rtc", "turn", "sfu", "signaling", "server");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.parley\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Path MAIN = Path.of("src/main/java/dev/parley");

    @Test
    void dependenciesPointDownOnly() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String layer = MAIN.relativize(file).getName(0).toString();
                int level = LAYERS.indexOf(layer);
                if (level < 0) {
                    violations.add(file + " is outside every layer (" + LAYERS + ")");
                    continue;
                }
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    int target = LAYERS.indexOf(m.group(1));
                    if (target > level) violations.add(file + " (" + layer + ") imports " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void codecDoesNoIoNoThreadsNoLogging() throws IOException {
        List<String> violations = new ArrayList<>();
        Pattern forbidden = Pattern.compile("^import (java\\.net\\.(?:Socket|ServerSocket|DatagramSocket|URL|http)|java\\.nio\\.channels|java\\.io\\.File|org\\.slf4j|io\\.netty\\.channel|java\\.util\\.concurrent\\.Executor)",
                Pattern.MULTILINE);
        Path codec = MAIN.resolve("codec");
        if (!Files.isDirectory(codec)) return;
        try (Stream<Path> files = Files.walk(codec)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = forbidden.matcher(Files.readString(file));
                if (m.find()) violations.add(file + " imports " + m.group(1));
            }
        }
        assertEquals(List.of(), violations);
    }
}
