package io.vmiscope.linux.syscall;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.x86.GuestMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user address space of the process that made a system call, as the decoder reads it. Every
 * call may cost a round trip to the hypervisor, so the decoder asks for few, page-bounded reads and
 * batches independent ones through {@link #readAll}.
 *
 * <p>Implementations refuse addresses outside user space ({@link #userEndExclusive()}), as the kernel's
 * {@code access_ok} does: a hostile process could otherwise make the tool copy kernel memory into its
 * events. Not required to be thread-safe.
 */
public interface UserMemory {

    /** {@code TASK_SIZE_MAX} with 4-level paging: the first address above user space. */
    long USER_END_4_LEVEL = 0x0000_7fff_ffff_f000L;

    /**
     * Reads {@code length} bytes at {@code userAddress}.
     *
     * @throws GuestAccessException when part of the range is unmapped or outside user space
     */
    byte[] read(long userAddress, int length);

    /**
     * Independent reads as one batch; an unreadable range gives an empty result instead of failing the
     * others. The default reads one by one; implementations over a pipelining transport override it.
     */
    default List<Optional<byte[]>> readAll(List<Range> ranges) {
        List<Optional<byte[]>> results = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            try {
                results.add(Optional.of(read(range.address(), range.length())));
            } catch (GuestAccessException e) {
                results.add(Optional.empty());
            }
        }
        return results;
    }

    /** The first address above user space; the decoder does not follow pointers at or beyond it. */
    default long userEndExclusive() {
        return USER_END_4_LEVEL;
    }

    /**
     * The user space of the process whose page tables are at {@code cr3}, read through
     * {@code memory}'s translation and caches (valid while the VM stays stopped).
     */
    static UserMemory of(GuestMemory memory, long cr3) {
        return new GuestUserMemory(memory, cr3);
    }

    /**
     * One read of a batch.
     *
     * @param address user virtual address
     * @param length  bytes, at least 1
     */
    record Range(long address, int length) {
        public Range {
            if (length <= 0) {
                throw new IllegalArgumentException("read length must be positive: " + length);
            }
        }
    }
}
