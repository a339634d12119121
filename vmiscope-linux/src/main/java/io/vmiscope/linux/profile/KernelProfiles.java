package io.vmiscope.linux.profile;

import io.vmiscope.linux.btf.Btf;
import io.vmiscope.linux.image.KernelImage;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link KernelProfile}s from what a user has: a kernel image (bzImage or vmlinux: kallsyms for
 * symbols, {@code .BTF} for struct layouts) or a Volatility ISF file.
 *
 * <pre>
 *   load(path) ─┬─ JSON (plain/gz/xz/bz2) ─▶ fromIsf ─────────────────────────────┐
 *               └─ anything else ─────────▶ fromKernelImage: cache by file? ─ hit ─┤
 *                                               │ miss: decompress, build id      ├─▶ KernelProfile
 *                                               ├─ cache by build id? ─── hit ────┤
 *                                               └─ kallsyms + BTF, store ─────────┘
 * </pre>
 * All methods are stateless and thread-safe; failures are {@link ProfileException}s with a one-line reason.
 */
public final class KernelProfiles {

    private KernelProfiles() {
    }

    /**
     * Loads a profile from either kind of file, chosen by content: a JSON object (possibly gzip, xz or
     * bzip2 compressed) is read as ISF, anything else as a kernel image. Both are cached.
     */
    public static KernelProfile load(Path path, ProfileCache cache) {
        requireFile(path);
        if (!IsfProfileReader.looksLikeIsf(path)) {
            return fromKernelImage(path, cache);
        }
        Optional<KernelProfile> cached = cache.findByFile(path);
        if (cached.isPresent()) {
            return cached.get();
        }
        KernelProfile profile = IsfProfileReader.read(path);
        cache.store(path, profile);
        return profile;
    }

    /**
     * A profile from a kernel image, from the cache when this file (path, size, mtime) or its build id was
     * seen before; otherwise built and stored.
     */
    public static KernelProfile fromKernelImage(Path image, ProfileCache cache) {
        requireFile(image);
        Optional<KernelProfile> byFile = cache.findByFile(image);
        if (byFile.isPresent()) {
            return byFile.get();
        }
        KernelImage kernel = KernelImage.open(image);
        Optional<KernelProfile> byBuildId = cache.findByBuildId(kernel.buildId());
        if (byBuildId.isPresent()) {
            cache.rememberFile(image, kernel.buildId());
            return byBuildId.get();
        }
        KernelProfile profile = build(kernel);
        cache.store(image, profile);
        return profile;
    }

    /** A profile from a kernel image, built afresh (no cache). */
    public static KernelProfile fromKernelImage(Path image) {
        requireFile(image);
        return build(KernelImage.open(image));
    }

    /** A profile from a Volatility ISF file, read afresh (no cache). See {@link IsfProfileReader}. */
    public static KernelProfile fromIsf(Path isf) {
        requireFile(isf);
        return IsfProfileReader.read(isf);
    }

    private static KernelProfile build(KernelImage kernel) {
        ByteBuffer btfSection = kernel.section(".BTF").orElseThrow(() -> new ProfileException(
                kernel.name() + ": no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF);"
                        + " use a Volatility ISF profile instead"));
        Map<String, StructLayout> structs;
        try {
            structs = Btf.parse(btfSection).structs();
        } catch (ProfileException e) {
            throw new ProfileException(kernel.name() + ": " + e.getMessage(), e);
        }
        return new KernelProfile(kernel.name() + " (kallsyms+BTF)", kernel.buildId(), kernel.banner(),
                firstByName(kernel.symbols()), structs);
    }

    /** Symbols by name; of several with one name, the lowest address (unsigned) wins. */
    static Map<String, KernelSymbol> firstByName(List<KernelSymbol> symbols) {
        List<KernelSymbol> sorted = new ArrayList<>(symbols);
        sorted.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        Map<String, KernelSymbol> byName = new HashMap<>(sorted.size() * 2);
        for (KernelSymbol symbol : sorted) {
            byName.putIfAbsent(symbol.name(), symbol);
        }
        return byName;
    }

    private static void requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ProfileException(path + ": no such file");
        }
    }
}
