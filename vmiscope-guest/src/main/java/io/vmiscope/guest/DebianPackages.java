package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches Debian packages with {@code apt-get download} into a cache directory and unpacks them there
 * with {@code dpkg-deb -x}. Nothing is installed on the host. Safe to call repeatedly: a package already
 * unpacked is reused. Not thread-safe across processes beyond what an atomic rename gives.
 *
 * <pre>
 *   cacheDir/debs/NAME_VERSION_amd64.deb
 *   cacheDir/root/NAME/...             (the unpacked tree of the newest fetched NAME)
 * </pre>
 */
public final class DebianPackages {

    /** The meta package whose dependency names the current cloud kernel. */
    public static final String CLOUD_KERNEL_META = "linux-image-cloud-amd64";
    private static final Pattern KERNEL_PACKAGE = Pattern.compile("Depends: (linux-image-[0-9][^\\s]*-cloud-amd64)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final Path cacheDir;
    private final Consumer<String> progress;

    /** @param progress receives one line per step ("fetching …"), for the user */
    public DebianPackages(Path cacheDir, Consumer<String> progress) {
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /** The default cache: {@code $VMISCOPE_CACHE}, else {@code ~/.cache/vmiscope}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("VMISCOPE_CACHE");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "vmiscope");
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The unpacked tree of package {@code name}, fetched on first use.
     *
     * @throws IllegalStateException with a one-line reason when apt-get or dpkg-deb fails
     */
    public Path unpacked(String name) {
        Path root = cacheDir.resolve("root").resolve(name);
        if (Files.isDirectory(root)) {
            return root;
        }
        Path deb = download(name);
        Path partial = cacheDir.resolve("root").resolve(name + ".partial");
        try {
            CacheFiles.deleteTree(partial);
            Files.createDirectories(partial);
            progress.accept("unpacking " + deb.getFileName());
            run(List.of("dpkg-deb", "-x", deb.toString(), partial.toString()), cacheDir);
            Files.move(partial, root);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + deb + ": " + e.getMessage(), e);
        }
    }

    /** The name of the versioned cloud kernel package that {@value #CLOUD_KERNEL_META} currently depends on. */
    public String currentCloudKernelPackage() {
        Optional<String> cached = cachedCloudKernelPackage();
        if (cached.isPresent()) {
            return cached.get();
        }
        String out = run(List.of("apt-cache", "depends", CLOUD_KERNEL_META), cacheDir);
        Matcher m = KERNEL_PACKAGE.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("apt-cache knows no " + CLOUD_KERNEL_META
                    + " (run 'apt-get update' first)");
        }
        return m.group(1);
    }

    /** A cloud kernel already unpacked in the cache lets the tool work without asking apt again. */
    private Optional<String> cachedCloudKernelPackage() {
        Path roots = cacheDir.resolve("root");
        if (!Files.isDirectory(roots)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(roots)) {
            return dirs.map(p -> p.getFileName().toString())
                    .filter(n -> KERNEL_PACKAGE.matcher("Depends: " + n).matches())
                    .sorted().reduce((a, b) -> b);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path download(String name) {
        Path debs = cacheDir.resolve("debs");
        try {
            Files.createDirectories(debs);
            Optional<Path> existing = findDeb(debs, name);
            if (existing.isPresent()) {
                return existing.get();
            }
            progress.accept("fetching Debian package " + name + " (apt-get download)");
            run(List.of("apt-get", "download", "-q", name), debs);
            return findDeb(debs, name).orElseThrow(() ->
                    new IllegalStateException("apt-get download " + name + " produced no .deb"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use cache " + debs + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> findDeb(Path debs, String name) throws IOException {
        try (Stream<Path> files = Files.list(debs)) {
            return files.filter(p -> p.getFileName().toString().startsWith(name + "_")
                    && p.getFileName().toString().endsWith(".deb")).sorted().reduce((a, b) -> b);
        }
    }

    private static String run(List<String> command, Path dir) {
        return HostCommand.run(command, dir, COMMAND_TIMEOUT, "on Debian: apt-get install apt dpkg");
    }
}
