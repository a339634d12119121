package io.vmiscope.x86;

import io.vmiscope.api.Gpa;
import java.util.List;

/**
 * The result of translating one virtual address.
 *
 * @param gpa           the physical address the virtual address maps to
 * @param pageSizeBytes size of the page that maps it: 4096, 2 MiB or 1 GiB
 * @param trace         every paging-structure entry read, from the top level down (empty for a
 *                      physical access context, which needs no walk)
 */
public record Translation(Gpa gpa, long pageSizeBytes, List<TraceEntry> trace) {

    public Translation {
        if (Long.bitCount(pageSizeBytes) != 1) {
            throw new IllegalArgumentException("page size is not a power of two: " + pageSizeBytes);
        }
        trace = List.copyOf(trace);
    }

    /** Bytes from {@link #gpa()} to the end of its page. */
    public long bytesToPageEnd() {
        return pageSizeBytes - (gpa.value() & (pageSizeBytes - 1));
    }
}
