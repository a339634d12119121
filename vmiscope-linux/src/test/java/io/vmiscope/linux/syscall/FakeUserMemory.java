package io.vmiscope.linux.syscall;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** User memory as a map of 4 KiB pages; a read touching a missing page fails. Counts reads and batches. */
final class FakeUserMemory implements UserMemory {

    static final int PAGE = 4096;

    private final Map<Long, byte[]> pages = new HashMap<>();
    int reads;
    int batches;
    int bytesRead;

    FakeUserMemory put(long address, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            long a = address + i;
            pages.computeIfAbsent(a & -PAGE, p -> new byte[PAGE])[(int) (a & (PAGE - 1))] = bytes[i];
        }
        return this;
    }

    FakeUserMemory putString(long address, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, withNul, 0, utf8.length);
        return put(address, withNul);
    }

    FakeUserMemory putPointers(long address, long... pointers) {
        ByteBuffer buffer = ByteBuffer.allocate(pointers.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long p : pointers) {
            buffer.putLong(p);
        }
        return put(address, buffer.array());
    }

    /** Maps a page of zeros. */
    FakeUserMemory map(long pageAddress) {
        pages.computeIfAbsent(pageAddress & -PAGE, p -> new byte[PAGE]);
        return this;
    }

    FakeUserMemory unmap(long pageAddress) {
        pages.remove(pageAddress & -PAGE);
        return this;
    }

    @Override
    public byte[] read(long userAddress, int length) {
        reads++;
        batches++;
        return copy(userAddress, length);
    }

    @Override
    public List<Optional<byte[]>> readAll(List<Range> ranges) {
        batches++;
        reads += ranges.size();
        return ranges.stream().map(r -> {
            try {
                return Optional.of(copy(r.address(), r.length()));
            } catch (GuestAccessException e) {
                return Optional.<byte[]>empty();
            }
        }).toList();
    }

    private byte[] copy(long address, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long a = address + i;
            byte[] page = pages.get(a & -PAGE);
            if (page == null) {
                throw new GuestAccessException("unmapped user page " + Hex.address(a & -PAGE));
            }
            out[i] = page[(int) (a & (PAGE - 1))];
        }
        bytesRead += length;
        return out;
    }
}
