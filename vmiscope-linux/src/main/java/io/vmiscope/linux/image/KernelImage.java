package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A Linux kernel image opened from a file: a {@code vmlinuz} bzImage (its payload is decompressed in
 * memory) or an already decompressed ELF {@code vmlinux}.
 *
 * <pre>
 *   open(path) ─┬─ "HdrS" at 0x202 ─▶ BzImage ─▶ decompress ─┐
 *               └─ ELF magic ─────────────────────────────────┴─▶ ElfFile ─┬─▶ section(".BTF")
 *                                                                          ├─▶ buildId()
 *                                                                          └─▶ Kallsyms ─▶ symbols(), banner()
 * </pre>
 *
 * <p>{@link #open} reads and checks the headers; the kallsyms tables are decoded on first use of
 * {@link #symbols()}, {@link #kallsyms()}, {@link #banner()} or {@link #describe()} and then kept.
 * Instances are thread-safe. The file is memory-mapped read-only and must not change while the image is
 * in use; nothing needs closing (the mapping is released with the object).
 *
 * <p>Every failure is a {@link ProfileException} whose one-line message starts with the file name.
 */
public final class KernelImage {

    /** Longest {@code linux_banner} returned by {@link #banner()}, in bytes. */
    public static final int MAX_BANNER_BYTES = 512;

    private final Path path;
    private final String name;
    private final BzImage bzImage;
    private final ElfFile elf;
    private Kallsyms kallsyms;
    private KaslrRelocations relocations;

    private KernelImage(Path path, String name, BzImage bzImage, ElfFile elf) {
        this.path = path;
        this.name = name;
        this.bzImage = bzImage;
        this.elf = elf;
    }

    /**
     * Opens a bzImage or ELF vmlinux, detected by magic.
     *
     * @throws ProfileException when the file is missing or unreadable, is not a kernel image, or its
     *                          payload or ELF headers are truncated, corrupt or in an unknown compression
     */
    public static KernelImage open(Path path) {
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        ByteBuffer file = map(path, name);
        if (ElfFile.hasElfMagic(file)) {
            return new KernelImage(path, name, null, ElfFile.parse(file, name));
        }
        if (BzImage.hasSetupHeader(file)) {
            BzImage bz = BzImage.parse(file, name);
            ByteBuffer vmlinux = bz.decompress();
            if (!ElfFile.hasElfMagic(vmlinux)) {
                throw new ProfileException(name + ": the decompressed " + bz.compression()
                        + " payload is not an ELF vmlinux (" + vmlinux.limit() + " bytes, no ELF magic)");
            }
            return new KernelImage(path, name, bz, ElfFile.parse(vmlinux, name));
        }
        throw new ProfileException(name + ": not a Linux kernel image (no HdrS setup header, no ELF magic)");
    }

    private static ByteBuffer map(Path path, String name) {
        if (!Files.exists(path)) {
            throw new ProfileException(name + ": no such file (" + path + ")");
        }
        if (!Files.isRegularFile(path)) {
            throw new ProfileException(name + ": not a regular file (" + path + ")");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new ProfileException(name + ": empty file, not a Linux kernel image");
            }
            if (size > Integer.MAX_VALUE) {
                throw new ProfileException(name + ": " + size + " bytes is too large for a kernel image");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new ProfileException(name + ": cannot read (" + e + ")", e);
        }
    }

    /** The file this image was opened from. */
    public Path path() {
        return path;
    }

    /** The file name, used in messages and as the profile source. */
    public String name() {
        return name;
    }

    /** The bzImage wrapper, or empty when the file was a raw ELF vmlinux. */
    public Optional<BzImage> bzImage() {
        return Optional.ofNullable(bzImage);
    }

    /** The (decompressed) ELF vmlinux. */
    public ElfFile elf() {
        return elf;
    }

    /** The GNU build id as lower-case hex, or {@code ""} when the ELF has none. */
    public String buildId() {
        return elf.buildId().orElse("");
    }

    /** A section's bytes (e.g. {@code ".BTF"}): read-only, little-endian, position 0; empty when absent. */
    public Optional<ByteBuffer> section(String sectionName) {
        return elf.sectionData(sectionName);
    }

    /**
     * The kallsyms tables, decoded on first call.
     *
     * @throws ProfileException when they cannot be found or fail the checks described in {@link Kallsyms}
     */
    public synchronized Kallsyms kallsyms() {
        if (kallsyms == null) {
            kallsyms = Kallsyms.locate(elf);
        }
        return kallsyms;
    }

    /**
     * The words KASLR relocates, parsed on first call from the end of a bzImage's payload (see
     * {@link KaslrRelocations}); none for a raw ELF vmlinux, which carries no such table.
     *
     * @throws ProfileException when the table is malformed, or the image has no {@code _text}/{@code _end}
     */
    public synchronized KaslrRelocations relocations() {
        if (relocations == null) {
            relocations = bzImage == null ? KaslrRelocations.none()
                    : KaslrRelocations.parse(elf.bytes(), symbolAddress("_text"), symbolAddress("_end"), name);
        }
        return relocations;
    }

    private long symbolAddress(String symbol) {
        return symbols().stream().filter(s -> s.name().equals(symbol)).findFirst()
                .orElseThrow(() -> new ProfileException(name + ": no " + symbol + " symbol")).address();
    }

    /** Every kallsyms symbol in address order, link-time (unslid) addresses. */
    public List<KernelSymbol> symbols() {
        return kallsyms().symbols();
    }

    /**
     * The {@code linux_banner} string ("Linux version …"), read at that symbol's address, without its
     * trailing newline, at most {@value #MAX_BANNER_BYTES} bytes; bytes outside printable ASCII become
     * {@code '?'}.
     */
    public String banner() {
        ByteBuffer bytes = elf.bytesAt(symbolAddress("linux_banner"), MAX_BANNER_BYTES);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.limit() && bytes.get(i) != 0; i++) {
            int c = bytes.get(i) & 0xff;
            text.append(c >= 0x20 && c < 0x7f || c == '\n' ? (char) c : '?');
        }
        return text.toString().strip();
    }

    /** One line for logs: container, compression, ELF, build id, symbol count and banner. */
    public String describe() {
        StringBuilder text = new StringBuilder(name).append(": ");
        if (bzImage != null) {
            text.append("bzImage (boot protocol ").append(bzImage.protocolVersionString()).append(", ")
                    .append(bzImage.compression()).append(" payload of ").append(bzImage.payloadLengthBytes())
                    .append(" bytes) holding ");
        }
        text.append("ELF vmlinux of ").append(elf.sizeBytes()).append(" bytes, ")
                .append(elf.sections().size()).append(" sections, build id ")
                .append(buildId().isEmpty() ? "none" : buildId()).append(", ")
                .append(kallsyms().describe()).append(", \"").append(banner()).append('"');
        return text.toString();
    }

    @Override
    public String toString() {
        return "KernelImage[" + name + "]";
    }
}
