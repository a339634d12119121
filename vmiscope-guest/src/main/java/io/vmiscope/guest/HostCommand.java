package io.vmiscope.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (apt-get, dpkg-deb, debootstrap, mke2fs, chroot) to completion and returns its
 * output, or fails with a one-line reason: the command and the last line it printed. Stateless and
 * thread-safe.
 */
final class HostCommand {

    private HostCommand() {
    }

    /**
     * Runs {@code command} in {@code dir} (created when missing), its stderr merged into its stdout.
     *
     * @param hint appended to the message when the tool cannot be started, e.g. the package to install
     * @throws IllegalStateException when the tool is missing, exits non-zero or exceeds {@code timeout}
     *                               (it is killed then)
     */
    static String run(List<String> command, Path dir, Duration timeout, String hint) {
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            // Read on a thread of its own: a tool printing more than the pipe holds would block otherwise,
            // and the timeout must hold even then.
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
            }, "host-command-output");
            reader.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reader.join(1000);
                throw new IllegalStateException(String.join(" ", command) + " timed out after "
                        + timeout.toSeconds() + " s");
            }
            reader.join();
            if (p.exitValue() != 0) {
                String last = out.toString().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
                throw new IllegalStateException(String.join(" ", command) + " failed: " + last);
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage() + " (" + hint + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
