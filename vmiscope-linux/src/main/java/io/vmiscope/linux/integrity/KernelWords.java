package io.vmiscope.linux.integrity;

import java.util.List;
import java.util.OptionalLong;

/**
 * Reads little-endian 64-bit words of kernel virtual memory, many places as one batch. The one port the
 * cross-view walkers read through, so that property tests can hand them generated kernel memory.
 */
public interface KernelWords {

    /**
     * Reads {@code count} consecutive words at each address.
     *
     * @return one row per address, in order; {@code null} for an address that could not be read
     */
    long[][] read(List<Long> addresses, int count);

    /** The word at {@code address}, or empty when it cannot be read. */
    default OptionalLong word(long address) {
        long[] row = read(List.of(address), 1)[0];
        return row == null ? OptionalLong.empty() : OptionalLong.of(row[0]);
    }
}
