package io.vmiscope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a host tool exists before a command needs it: as root it installs the Debian package
 * (saying so), otherwise it fails with the exact apt-get command to run. Packages are installed without
 * their recommends: QEMU's alone pull about 160 packages of graphics drivers that a headless VM never uses.
 */
final class HostTools {

    private HostTools() {
    }

    /** @param command the program looked up on PATH; @param debianPackage the package that provides it */
    static void require(String command, String debianPackage) {
        if (onPath(command)) {
            return;
        }
        if (!isRoot()) {
            throw new IllegalStateException(command + " is missing: run 'sudo " + installCommand(debianPackage) + "'");
        }
        System.err.println("vmiscope: installing " + debianPackage + " (" + installCommand(debianPackage) + ") …");
        run(List.of("apt-get", "update", "-qq"));
        run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage));
        if (!onPath(command)) {
            throw new IllegalStateException("installed " + debianPackage + " but " + command + " is still not on PATH");
        }
    }

    private static String installCommand(String debianPackage) {
        return "apt-get install -y --no-install-recommends " + debianPackage;
    }

    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing", e);
        }
    }
}
