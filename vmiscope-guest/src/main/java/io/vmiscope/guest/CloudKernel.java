package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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

    /** The bzImage QEMU boots; profiles read kallsyms and BTF from it. */
    public Path vmlinuz() {
        return root.resolve("boot").resolve("vmlinuz-" + version);
    }

    /** The kernel's build configuration ({@code CONFIG_...=} lines). */
    public Path config() {
        return root.resolve("boot").resolve("config-" + version);
    }

    /** {@code lib/modules/VERSION} of the unpacked package. */
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

    /**
     * The named modules and every module they depend on ({@code depends=} of each file's
     * {@code .modinfo}), as paths relative to {@code kernel/}, each after its dependencies: the order
     * for {@code insmod}. A module name matches its file name with {@code -} read as {@code _}.
     *
     * @throws IllegalStateException when a module or a dependency is not in the package, or the
     *                               dependencies form a cycle
     */
    public List<String> loadOrder(List<String> moduleNames) {
        Map<String, Path> byName = moduleFilesByName();
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : moduleNames) {
            addWithDependencies(name, byName, ordered, new HashSet<>());
        }
        Path kernelDir = modulesDir().resolve("kernel");
        List<String> paths = new ArrayList<>();
        for (String name : ordered) {
            paths.add(kernelDir.relativize(byName.get(name)).toString());
        }
        return List.copyOf(paths);
    }

    private void addWithDependencies(String name, Map<String, Path> byName, Set<String> ordered,
                                     Set<String> visiting) {
        String key = name.replace('-', '_');
        if (ordered.contains(key)) {
            return;
        }
        if (!visiting.add(key)) {
            throw new IllegalStateException("modules of kernel " + version + " depend on each other in a cycle at "
                    + key);
        }
        Path file = byName.get(key);
        if (file == null) {
            throw new IllegalStateException("kernel " + version + " has no module " + key);
        }
        for (String dependency : ModuleInfo.read(file).depends()) {
            addWithDependencies(dependency, byName, ordered, visiting);
        }
        ordered.add(key);
    }

    private Map<String, Path> moduleFilesByName() {
        try (Stream<Path> files = Files.walk(modulesDir().resolve("kernel"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ko"))
                    .collect(Collectors.toMap(
                            p -> p.getFileName().toString().replaceFirst("\\.ko$", "").replace('-', '_'),
                            p -> p, (a, b) -> a));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
