package io.vmiscope.x86;

import io.vmiscope.api.Gpa;
import io.vmiscope.api.Hex;

/**
 * One paging-structure entry a walk read.
 *
 * @param level        the table's name ({@code "PML4"}, {@code "PD"}, …)
 * @param entryAddress physical address of the 8-byte entry
 * @param value        the raw entry, as read
 */
public record TraceEntry(String level, Gpa entryAddress, long value) {

    @Override
    public String toString() {
        return level + "@" + entryAddress + "=" + Hex.address(value);
    }
}
