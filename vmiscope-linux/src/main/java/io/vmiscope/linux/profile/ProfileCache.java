package io.vmiscope.linux.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An on-disk cache of derived {@link KernelProfile}s, so a kernel image is decompressed and parsed once.
 *
 * <pre>
 *   &lt;dir&gt;/&lt;key&gt;.profile.gz        one profile ({@link ProfileCodec} format); key = the GNU build id,
 *                                 or "file-&lt;fingerprint&gt;" for sources without one (ISF files)
 *   &lt;dir&gt;/by-file/&lt;fingerprint&gt;   the key for one source file; fingerprint = SHA-256 of its absolute
 *                                 path, size and modification time, so a known file needs no
 *                                 decompression to find its build id
 * </pre>
 * The default directory is {@code $VMISCOPE_CACHE/profiles}, else {@code ~/.cache/vmiscope/profiles}.
 *
 * <p>Writes go to a temporary file in the same directory and are renamed into place, so readers never
 * see a partial entry; concurrent writers of the same entry are harmless (last rename wins). An entry
 * that cannot be read (corrupt, truncated, older format) is deleted and reported as absent, so the
 * caller rebuilds it. A failure to write is logged ({@link System.Logger}) and otherwise ignored: the
 * cache only ever saves time. Thread-safe.
 */
public final class ProfileCache {

    private static final System.Logger LOG = System.getLogger(ProfileCache.class.getName());
    private static final String SUFFIX = ".profile.gz";
    private static final String BY_FILE = "by-file";
    private static final Pattern SAFE_KEY = Pattern.compile("[0-9A-Za-z_-]{1,160}");
    private static final Pattern BUILD_ID = Pattern.compile("[0-9a-fA-F]{2,128}");

    private final Path directory;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private ProfileCache(Path directory) {
        this.directory = directory;
    }

    /** A cache in the given directory (created on first write). */
    public static ProfileCache at(Path directory) {
        return new ProfileCache(directory.toAbsolutePath());
    }

    /** A cache in {@link #defaultDirectory()}. */
    public static ProfileCache atDefaultLocation() {
        return at(defaultDirectory());
    }

    /** {@code $VMISCOPE_CACHE/profiles} when that variable is set and not blank, else {@code ~/.cache/vmiscope/profiles}. */
    public static Path defaultDirectory() {
        String base = System.getenv("VMISCOPE_CACHE");
        Path root = base != null && !base.isBlank() ? Path.of(base)
                : Path.of(System.getProperty("user.home"), ".cache", "vmiscope");
        return root.resolve("profiles");
    }

    public Path directory() {
        return directory;
    }

    /** Lookups that found a profile, since this instance was made. */
    public long hits() {
        return hits.get();
    }

    /** Lookups that found nothing usable (absent or corrupt), since this instance was made. */
    public long misses() {
        return misses.get();
    }

    /**
     * The profile previously stored for this very file (same absolute path, size and modification time),
     * without opening the file itself.
     */
    public Optional<KernelProfile> findByFile(Path file) {
        Optional<String> key = fingerprint(file).flatMap(this::keyForFingerprint);
        return count(key.flatMap(this::readEntry));
    }

    /** The profile stored for a kernel build id (any file it came from). */
    public Optional<KernelProfile> findByBuildId(String buildId) {
        return count(BUILD_ID.matcher(buildId).matches() ? readEntry(buildId.toLowerCase()) : Optional.empty());
    }

    /**
     * Stores a profile derived from {@code file}: under its build id when it has one, else under the file's
     * fingerprint; and remembers the file → entry link for {@link #findByFile}.
     */
    public void store(Path file, KernelProfile profile) {
        Optional<String> fingerprint = fingerprint(file);
        String key = keyFor(profile.buildId(), fingerprint);
        if (key == null) {
            return;
        }
        try {
            writeAtomically(directory.resolve(key + SUFFIX), out -> ProfileCodec.write(profile, out));
            fingerprint.ifPresent(fp -> link(fp, key));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot cache profile " + profile.source() + " in " + directory
                    + ": " + e);
        }
    }

    /** Remembers that {@code file} is the kernel with this build id, already stored. */
    void rememberFile(Path file, String buildId) {
        String key = keyFor(buildId, Optional.empty());
        if (key != null) {
            fingerprint(file).ifPresent(fp -> link(fp, key));
        }
    }

    private Optional<KernelProfile> count(Optional<KernelProfile> result) {
        (result.isPresent() ? hits : misses).incrementAndGet();
        return result;
    }

    private static String keyFor(String buildId, Optional<String> fingerprint) {
        if (BUILD_ID.matcher(buildId).matches()) {
            return buildId.toLowerCase();
        }
        return fingerprint.map(fp -> "file-" + fp).orElse(null);
    }

    private void link(String fingerprint, String key) {
        try {
            writeAtomically(directory.resolve(BY_FILE).resolve(fingerprint),
                    out -> out.write(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write profile cache link in " + directory + ": " + e);
        }
    }

    private Optional<String> keyForFingerprint(String fingerprint) {
        Path link = directory.resolve(BY_FILE).resolve(fingerprint);
        try {
            if (Files.size(link) > 256) {
                return Optional.empty();
            }
            String key = Files.readString(link, StandardCharsets.US_ASCII).trim();
            return SAFE_KEY.matcher(key).matches() ? Optional.of(key) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<KernelProfile> readEntry(String key) {
        Path entry = directory.resolve(key + SUFFIX);
        try (InputStream in = Files.newInputStream(entry)) {
            return Optional.of(ProfileCodec.read(in));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "discarding unreadable cached profile " + entry + ": " + e);
            try {
                Files.deleteIfExists(entry);
            } catch (IOException ignored) {
                // Left in place: the next store() replaces it atomically.
            }
            return Optional.empty();
        }
    }

    /** SHA-256 over absolute path, size and modification time; empty when the file cannot be examined. */
    private static Optional<String> fingerprint(Path file) {
        try {
            Path absolute = file.toAbsolutePath().normalize();
            BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
            String identity = absolute + "\0" + attributes.size() + "\0"
                    + attributes.lastModifiedTime().toMillis();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(identity.getBytes(StandardCharsets.UTF_8));
            return Optional.of(HexFormat.of().formatHex(digest, 0, 20));
        } catch (IOException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".tmp-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
