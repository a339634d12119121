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
 * A batch translates every page first (through the caches), then reads all translatable ranges in
 * one {@link GuestMemory#readAll}: about one round trip for the data.
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
        List<Optional<byte[]>> results = new ArrayList<>(ranges.size());
        List<ContextRead> reads = new ArrayList<>();
        for (Range range : ranges) {
            if (isTranslatable(range)) {
                ContextRead read = ContextRead.of(context(range.address()), range.length());
                reads.add(read);
                results.add(Optional.of(read.buffer()));
            } else {
                results.add(Optional.empty());
            }
        }
        try {
            memory.readAll(reads);
        } catch (GuestAccessException e) {
            // a physical read failed after translation succeeded: find out which, one by one
            return UserMemory.super.readAll(ranges);
        }
        return results;
    }

    private boolean isTranslatable(Range range) {
        if (!isUserRange(range.address(), range.length())) {
            return false;
        }
        try {
            long last = range.address() + range.length() - 1;
            for (long page = range.address() & -PAGE_BYTES; page <= last; page += PAGE_BYTES) {
                memory.translate(context(page));
            }
            return true;
        } catch (GuestAccessException e) {
            return false;
        }
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
