package io.vmiscope.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files that cannot be imported are refused before anything is imported, each with its reason. */
class InputFileCheckTest {

    @TempDir
    Path dir;

    private static void assertRefused(Path file, String reason) {
        assertThatThrownBy(() -> InputFileCheck.check(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(file + ": " + reason);
    }

    @Test
    void aRegularFile_evenAnEmptyOne_passes() throws IOException {
        InputFileCheck.check(Files.writeString(dir.resolve("a.log"), "x"));
        InputFileCheck.check(Files.createFile(dir.resolve("empty.log")));
    }

    @Test
    void aMissingFile_aDirectory_aFifo_andADevice_areRefused_eachWithItsReason() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();

        assertRefused(dir.resolve("missing.log"), "no such file");
        assertRefused(dir, "is a directory");
        assertRefused(fifo, "not a regular file but a FIFO");
        assertRefused(Path.of("/dev/zero"), "not a regular file but a character device");
    }

    @Test
    void aRegularFileWhoseReadFails_isRefused_withTheSystemsReason() {
        // /proc/self/mem is a regular file; reading it at offset 0 (unmapped in every process) fails with EIO.
        assertRefused(Path.of("/proc/self/mem"), "cannot be read: Input/output error");
    }

    @Test
    void aFileWithoutReadPermission_isRefused_asPermissionDenied() throws Exception {
        Path shared = Files.createTempDirectory("vmiscope-check",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Path secret = Files.writeString(shared.resolve("secret.log"), "{}\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
            if (isRoot()) {
                // root reads any file: check it as the user nobody, in a JVM of its own
                assertThat(checkAsNobody(shared, secret)).isEqualTo(secret + ": cannot be read: permission denied");
            } else {
                assertRefused(secret, "cannot be read: permission denied");
            }
        } finally {
            try (Stream<Path> all = Files.walk(shared)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** Runs {@link InputFileCheckMain} as nobody, from class files copied where nobody can read them. */
    private static String checkAsNobody(Path shared, Path file) throws IOException, InterruptedException {
        Path classes = Files.createDirectories(shared.resolve("classes/io/vmiscope/store"));
        for (Class<?> c : List.of(InputFileCheck.class, InputFileCheckMain.class)) {
            String name = c.getSimpleName() + ".class";
            try (var in = c.getResourceAsStream(name)) {
                Files.write(classes.resolve(name), in.readAllBytes());
            }
        }
        try (Stream<Path> all = Files.walk(shared.resolve("classes"))) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                java.toString(), "-XX:-UsePerfData", "-cp", shared.resolve("classes").toString(),
                InputFileCheckMain.class.getName(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
