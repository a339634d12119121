package io.vmiscope.linux.syscall;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.x86.GuestMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link UserMemory} over {@link GuestMemory} with {@link AccessContext#process process contexts}.
 * A batch goes to {@link GuestMemory#readEach} as a whole: pages translated at an earlier stop cost one
 * round trip for data and confirmation together; an unmapped range fails alone.
 */
final class GuestUserMemory implements UserMemory {

    private static final long PAGE_BYTES = 4096;

    private final GuestMemory memory;
    private final long cr3;
    private final long userEnd;

    GuestUserMemory(GuestMemory memory, long cr3) {
        this.memory = memory;
        this.cr3 = cr3;
        // TASK_SIZE_MAX = (1 << (virtual address bits - 1)) - one page
        this.userEnd = (1L << (memory.mode().virtualAddressBits() - 1)) - PAGE_BYTES;
    }

    @Override
    public long userEndExclusive() {
        return userEnd;
    }

    @Override
    public byte[] read(long userAddress, int length) {
        checkUserRange(userAddress, length);
        return memory.read(context(userAddress), length);
    }

    @Override
    public List<Optional<byte[]>> readAll(List<Range> ranges) {
        List<ContextRead> reads = new ArrayList<>(ranges.size());
        List<Integer> readIndexes = new ArrayList<>(ranges.size());
        List<Optional<byte[]>> results = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            if (isUserRange(range.address(), range.length())) {
                ContextRead read = ContextRead.of(context(range.address()), range.length());
                readIndexes.add(results.size());
                reads.add(read);
                results.add(Optional.of(read.buffer()));
            } else {
                results.add(Optional.empty());
            }
        }
        for (int failed : memory.readEach(reads).keySet()) {
            results.set(readIndexes.get(failed), Optional.empty());
        }
        return results;
    }

    private boolean isUserRange(long address, int length) {
        return address >= 0 && address < userEnd && length <= userEnd - address;
    }

    private void checkUserRange(long address, int length) {
        if (!isUserRange(address, length)) {
            throw new GuestAccessException("not a user-space range: " + length + " bytes at " + Hex.address(address));
        }
    }

    private AccessContext context(long address) {
        return AccessContext.process(Gva.of(address), cr3);
    }
}
