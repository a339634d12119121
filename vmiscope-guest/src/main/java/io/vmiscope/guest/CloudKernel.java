package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Debian's cloud kernel, unpacked from its package: the bzImage, its config and its modules.
 *
 * @param root    the unpacked package tree
 * @param version the kernel release, e.g. {@code 6.1.0-56-cloud-amd64}
 */
public record CloudKernel(Path root, String version) {

    /** Fetches (once) and unpacks the current cloud kernel package into the cache. */
    public static CloudKernel fetch(DebianPackages packages) {
        String name = packages.currentCloudKernelPackage();
        Path root = packages.unpacked(name);
        return new CloudKernel(root, name.substring("linux-image-".length()));
    }

    /** The kernel from the default cache, fetching it when missing — for tests and tools. */
    public static CloudKernel fetchDefault() {
        return fetch(new DebianPackages(DebianPackages.defaultCacheDir(), System.err::println));
    }

    public Path vmlinuz() {
        return root.resolve("boot").resolve("vmlinuz-" + version);
    }

    public Path config() {
        return root.resolve("boot").resolve("config-" + version);
    }

    public Path modulesDir() {
        return root.resolve("lib").resolve("modules").resolve(version);
    }

    /** A module's file, e.g. {@code module("drivers/net/dummy.ko")}. */
    public Path module(String relativePath) {
        Path path = modulesDir().resolve("kernel").resolve(relativePath);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("kernel " + version + " has no module " + relativePath);
        }
        return path;
    }

    /** Number of module files in the package (sanity checks, progress). */
    public long moduleCount() {
        try (Stream<Path> files = Files.walk(modulesDir())) {
            return files.filter(p -> p.toString().endsWith(".ko")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
