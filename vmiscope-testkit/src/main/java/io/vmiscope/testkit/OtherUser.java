package io.vmiscope.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another local user, for tests of what that user can reach: probes run as {@code nobody} in a JVM of
 * their own, started through {@code setpriv --reuid nobody --regid nogroup --clear-groups}. That needs
 * root (CI runs as root); as another user {@link #probe} fails with setpriv's reason.
 *
 * <p>A probe is one of:
 * <ul>
 *   <li>{@code unix:PATH} — connect to a Unix socket; the result is {@code connected} or {@code refused: …};</li>
 *   <li>{@code list:PATH} — list a directory; {@code listed N} or {@code refused: …};</li>
 *   <li>{@code METHOD URL} — one HTTP request without credentials; the status code, or {@code refused: …}.</li>
 * </ul>
 * The probing program is a single Java source file in a fresh world-readable directory, run by the
 * JDK's source launcher, so that {@code nobody} needs nothing but the JDK.
 */
public final class OtherUser {

    /** The user whose reach is probed. */
    public static final String NAME = "nobody";

    private static final String PROBE = """
            import java.net.StandardProtocolFamily;
            import java.net.URI;
            import java.net.UnixDomainSocketAddress;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.nio.channels.SocketChannel;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.time.Duration;

            public class Probe {
                public static void main(String[] probes) {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    for (String probe : probes) {
                        String result;
                        try {
                            if (probe.startsWith("unix:")) {
                                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                                    c.connect(UnixDomainSocketAddress.of(probe.substring(5)));
                                }
                                result = "connected";
                            } else if (probe.startsWith("list:")) {
                                try (var files = Files.list(Path.of(probe.substring(5)))) {
                                    result = "listed " + files.count();
                                }
                            } else {
                                String[] methodUrl = probe.split(" ", 2);
                                HttpRequest request = HttpRequest.newBuilder(URI.create(methodUrl[1]))
                                        .timeout(Duration.ofSeconds(10))
                                        .method(methodUrl[0], HttpRequest.BodyPublishers.noBody()).build();
                                result = Integer.toString(http.send(request, HttpResponse.BodyHandlers.discarding())
                                        .statusCode());
                            }
                        } catch (Exception e) {
                            result = "refused: " + e;
                        }
                        System.out.println(result.replace('\\n', ' '));
                    }
                }
            }
            """;

    private OtherUser() {
    }

    /**
     * Runs {@code probes} as {@link #NAME}.
     *
     * @return each probe with its result, in the order given
     * @throws IllegalStateException when the probing JVM cannot be started as that user
     */
    public static Map<String, String> probe(List<String> probes) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vmiscope-other-user");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path source = Files.writeString(dir.resolve("Probe.java"), PROBE);
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid", NAME, "--regid", "nogroup",
                    "--clear-groups", "--", javaExecutable(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    source.toString()));
            command.addAll(probes);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("HOME", dir.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("cannot run a probe as " + NAME + " (setpriv needs root): " + output.strip());
            }
            List<String> lines = output.lines().toList();
            if (lines.size() != probes.size()) {
                throw new IllegalStateException("the probe as " + NAME + " answered " + lines.size() + " of "
                        + probes.size() + " probes: " + output.strip());
            }
            Map<String, String> results = new LinkedHashMap<>();
            for (int i = 0; i < probes.size(); i++) {
                results.put(probes.get(i), lines.get(i));
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run a probe as " + NAME + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing as " + NAME, e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("Probe.java"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A leftover probe in the temporary directory harms nothing.
        }
    }
}
