package io.vmiscope.linux.syscall;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.linux.walk.GuestStrings;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bounded reads of one system call's user memory, for one decode. Remembers what it read (and what
 * failed), so the batch prefetched for all arguments at once serves the per-argument decoders without
 * further round trips. Strings and pointer arrays are read page by page: first up to the end of the
 * page they start in, continuing only when no terminator was found, never beyond a cap. Not thread-safe.
 */
final class UserReader {

    static final int PAGE_BYTES = 4096;

    /** A string read from user memory. */
    record CString(String text, boolean truncated, boolean unreadable, int bytesRead) {
    }

    /** A NULL-terminated pointer array read from user memory. */
    record PointerArray(List<Long> pointers, boolean terminated, boolean unreadable) {
    }

    private record Chunk(long address, byte[] bytes) {
    }

    private final UserMemory memory;
    private final long userEnd;
    private final List<Chunk> chunks = new ArrayList<>();
    private final Set<UserMemory.Range> failed = new HashSet<>();

    UserReader(UserMemory memory) {
        this.memory = memory;
        this.userEnd = memory.userEndExclusive();
    }

    /** True when {@code [address, address+length)} lies in user space. */
    boolean isUser(long address, long length) {
        return address > 0 && address < userEnd && length <= userEnd - address;
    }

    /** Bytes from {@code address} to the end of its page. */
    static int toPageEnd(long address) {
        return PAGE_BYTES - (int) (address & (PAGE_BYTES - 1));
    }

    /** The first read of a string at {@code address}: up to its page end, at most {@code cap} bytes. */
    Optional<UserMemory.Range> firstStringRange(long address, int cap) {
        return range(address, Math.min(cap, toPageEnd(address)));
    }

    /** The first read of a pointer array: up to its page end, at most {@code maxEntries + 1} pointers. */
    Optional<UserMemory.Range> firstArrayRange(long address, int maxEntries) {
        return range(address, (int) Math.min((maxEntries + 1L) * Long.BYTES, toPageEnd(address)));
    }

    /** A range clipped to user space; empty when nothing of it is user space. */
    Optional<UserMemory.Range> range(long address, long length) {
        if (length <= 0 || address <= 0 || address >= userEnd) {
            return Optional.empty();
        }
        return Optional.of(new UserMemory.Range(address, (int) Math.min(length, userEnd - address)));
    }

    /** Reads these ranges as one batch and keeps the results for later reads. */
    void prefetch(List<UserMemory.Range> ranges) {
        readAll(ranges);
    }

    /** One read; empty when unreadable or outside user space. */
    Optional<byte[]> read(long address, int length) {
        return readAll(List.of(new UserMemory.Range(address, length))).get(0);
    }

    /** Independent reads, served from earlier reads where possible, the rest as one batch. */
    List<Optional<byte[]>> readAll(List<UserMemory.Range> ranges) {
        List<Optional<byte[]>> results = new ArrayList<>(ranges.size());
        List<UserMemory.Range> misses = new ArrayList<>();
        List<Integer> missIndexes = new ArrayList<>();
        for (UserMemory.Range range : ranges) {
            Optional<byte[]> known = known(range);
            if (known == null) {
                missIndexes.add(results.size());
                misses.add(range);
            }
            results.add(known);
        }
        if (!misses.isEmpty()) {
            List<Optional<byte[]>> fetched = fetch(misses);
            for (int i = 0; i < misses.size(); i++) {
                Optional<byte[]> bytes = fetched.get(i);
                if (bytes.isPresent() && bytes.get().length == misses.get(i).length()) {
                    chunks.add(new Chunk(misses.get(i).address(), bytes.get()));
                } else {
                    failed.add(misses.get(i));
                    bytes = Optional.empty();
                }
                results.set(missIndexes.get(i), bytes);
            }
        }
        return results;
    }

    /** Null when unknown; empty when known to fail; else the bytes. */
    private Optional<byte[]> known(UserMemory.Range range) {
        if (!isUser(range.address(), range.length()) || failed.contains(range)) {
            return Optional.empty();
        }
        for (Chunk chunk : chunks) {
            long offset = range.address() - chunk.address();
            if (offset >= 0 && offset + range.length() <= chunk.bytes().length) {
                byte[] out = new byte[range.length()];
                System.arraycopy(chunk.bytes(), (int) offset, out, 0, range.length());
                return Optional.of(out);
            }
        }
        return null;
    }

    private List<Optional<byte[]>> fetch(List<UserMemory.Range> ranges) {
        if (ranges.size() == 1) {
            UserMemory.Range range = ranges.get(0);
            try {
                return List.of(Optional.of(memory.read(range.address(), range.length())));
            } catch (GuestAccessException e) {
                return List.of(Optional.empty());
            }
        }
        List<Optional<byte[]>> fetched = memory.readAll(ranges);
        if (fetched.size() != ranges.size()) {
            throw new IllegalStateException("UserMemory.readAll returned " + fetched.size() + " results for "
                    + ranges.size() + " reads");
        }
        return fetched;
    }

    /**
     * NUL-terminated strings, each capped at {@code cap} bytes, read in rounds: every round is one
     * batch over the strings still unfinished. A null pointer gives {@code null}.
     */
    List<CString> strings(List<Long> addresses, int cap) {
        int n = addresses.size();
        ByteArrayOutputStream[] bytes = new ByteArrayOutputStream[n];
        CString[] done = new CString[n];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long address = addresses.get(i);
            if (address == 0) {
                continue;
            }
            bytes[i] = new ByteArrayOutputStream(Math.min(cap, PAGE_BYTES));
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            List<UserMemory.Range> ranges = new ArrayList<>();
            List<Integer> asked = new ArrayList<>();
            for (int i : pending) {
                long at = addresses.get(i) + bytes[i].size();
                Optional<UserMemory.Range> range = bytes[i].size() == 0 ? firstStringRange(at, cap)
                        : range(at, Math.min(cap - bytes[i].size(), PAGE_BYTES));
                if (range.isEmpty()) {
                    done[i] = finish(bytes[i], bytes[i].size() > 0, true);
                } else {
                    ranges.add(range.get());
                    asked.add(i);
                }
            }
            List<Optional<byte[]>> results = readAll(ranges);
            for (int k = 0; k < asked.size(); k++) {
                int i = asked.get(k);
                Optional<byte[]> chunk = results.get(k);
                if (chunk.isEmpty()) {
                    done[i] = finish(bytes[i], bytes[i].size() > 0, true);
                    continue;
                }
                byte[] data = chunk.get();
                int nul = indexOfNul(data);
                bytes[i].write(data, 0, nul < 0 ? data.length : nul);
                if (nul >= 0) {
                    done[i] = finish(bytes[i], false, false);
                } else if (bytes[i].size() >= cap) {
                    done[i] = finish(bytes[i], true, false);
                } else {
                    next.add(i);
                }
            }
            pending = next;
        }
        List<CString> out = new ArrayList<>(n);
        for (CString s : done) {
            out.add(s);
        }
        return out;
    }

    private static CString finish(ByteArrayOutputStream bytes, boolean truncated, boolean unreadable) {
        byte[] data = bytes.toByteArray();
        return new CString(GuestStrings.cString(data, 0, data.length), truncated, unreadable, data.length);
    }

    private static int indexOfNul(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The pointers of a NULL-terminated array, at most {@code maxEntries}, read page by page. */
    PointerArray pointers(long address, int maxEntries) {
        long capBytes = (maxEntries + 1L) * Long.BYTES;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min((int) capBytes, PAGE_BYTES));
        List<Long> pointers = new ArrayList<>();
        while (true) {
            long at = address + bytes.size();
            Optional<UserMemory.Range> range = bytes.size() == 0 ? firstArrayRange(at, maxEntries)
                    : range(at, Math.min(capBytes - bytes.size(), PAGE_BYTES));
            Optional<byte[]> chunk = range.flatMap(r -> read(r.address(), r.length()));
            if (chunk.isEmpty()) {
                return new PointerArray(pointers, false, true);
            }
            bytes.write(chunk.get(), 0, chunk.get().length);
            ByteBuffer all = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = pointers.size(); (i + 1) * Long.BYTES <= all.limit(); i++) {
                long pointer = all.getLong(i * Long.BYTES);
                if (pointer == 0) {
                    return new PointerArray(pointers, true, false);
                }
                if (pointers.size() == maxEntries) {
                    return new PointerArray(pointers, false, false);
                }
                pointers.add(pointer);
            }
            if (bytes.size() >= capBytes) {
                return new PointerArray(pointers, false, false);
            }
        }
    }
}
