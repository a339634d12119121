package io.vmiscope.linux.syscall;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Address-to-symbol lookup over a profile's kernel-half symbols ("nearest symbol at or below"),
 * bounded by the image: addresses below {@code _text} or at/after {@code _end} (when the profile has
 * them) resolve to nothing, so a pointer into module space is not blamed on the image's last symbol.
 */
public final class SymbolIndex {

    private final TreeMap<Long, List<String>> byAddress = new TreeMap<>(Long::compareUnsigned);
    private final long lowest;
    private final long endExclusive;

    /** Indexes the profile's kernel-half symbols. */
    public SymbolIndex(KernelProfile profile) {
        for (KernelSymbol symbol : profile.allSymbols()) {
            if (symbol.address() < 0) {
                byAddress.computeIfAbsent(symbol.address(), a -> new ArrayList<>(1)).add(symbol.name());
            }
        }
        byAddress.values().forEach(names -> names.sort(null));
        this.lowest = profile.findSymbol("_text").orElse(byAddress.isEmpty() ? 0 : byAddress.firstKey());
        this.endExclusive = profile.findSymbol("_end").orElse(byAddress.isEmpty() ? 0 : byAddress.lastKey() + 1);
    }

    /** The address of the first kernel-half symbol above {@code address}, if any: where a function or table ends. */
    public OptionalLong next(long address) {
        Long higher = byAddress.higherKey(address);
        return higher == null ? OptionalLong.empty() : OptionalLong.of(higher);
    }

    /**
     * The symbol at or below {@code address} as {@code "name"} or {@code "name+0x…"}, preferring
     * {@code preferred} among aliases at the same address; {@code null} outside the image.
     */
    public String describe(long address, String preferred) {
        if (Long.compareUnsigned(address, lowest) < 0 || Long.compareUnsigned(address, endExclusive) >= 0) {
            return null;
        }
        Map.Entry<Long, List<String>> floor = byAddress.floorEntry(address);
        if (floor == null) {
            return null;
        }
        List<String> names = floor.getValue();
        String name = names.contains(preferred) ? preferred : names.get(0);
        long offset = address - floor.getKey();
        return offset == 0 ? name : name + "+0x" + Long.toHexString(offset);
    }
}
