package io.vmiscope.linux.profile;

import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Symbols and struct layouts of one kernel build. Immutable and thread-safe.
 *
 * @param source  where it came from, for messages (e.g. {@code "vmlinuz-6.1.0-56-cloud-amd64 (kallsyms+BTF)"})
 * @param buildId the GNU build id as hex, or empty when the source has none
 * @param banner  the kernel's {@code linux_banner} string ("Linux version …"), or empty when unknown
 * @param symbols by name (when a name occurs more than once, the first in address order)
 * @param structs by tag name; struct and union tags share this map (struct wins on a clash)
 */
public record KernelProfile(String source, String buildId, String banner,
                            Map<String, KernelSymbol> symbols, Map<String, StructLayout> structs) {

    public KernelProfile {
        symbols = Map.copyOf(symbols);
        structs = Map.copyOf(structs);
    }

    public OptionalLong findSymbol(String name) {
        KernelSymbol symbol = symbols.get(name);
        return symbol == null ? OptionalLong.empty() : OptionalLong.of(symbol.address());
    }

    /** @throws ProfileException when the profile has no such symbol */
    public long symbol(String name) {
        return findSymbol(name).orElseThrow(() -> new ProfileException(
                "symbol '" + name + "' not found in profile " + source));
    }

    public Optional<StructLayout> findStruct(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    /** @throws ProfileException when the profile has no such struct */
    public StructLayout struct(String name) {
        return findStruct(name).orElseThrow(() -> new ProfileException(
                "struct '" + name + "' not found in profile " + source));
    }

    /** Offset in bytes of {@code struct.member}. */
    public long offset(String structName, String memberName) {
        return struct(structName).offsetOf(memberName);
    }

    public Collection<KernelSymbol> allSymbols() {
        return symbols.values();
    }
}
