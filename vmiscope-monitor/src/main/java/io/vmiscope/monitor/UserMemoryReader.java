package io.vmiscope.monitor;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads strings and string arrays from the user memory of the process that is running, with hard
 * caps: guest lengths and counts never size an allocation.
 */
final class UserMemoryReader {

    private static final int PAGE = 4096;

    private final GuestMemory memory;
    private final long cr3;

    UserMemoryReader(GuestMemory memory, long cr3) {
        this.memory = memory;
        this.cr3 = cr3;
    }

    /** A NUL-terminated string of at most {@code maxBytes}, read up to page ends so short strings cost one read. */
    Text string(long address, int maxBytes) {
        if (address == 0) {
            return new Text("NULL", false, true);
        }
        byte[] collected = new byte[0];
        long at = address;
        while (collected.length < maxBytes) {
            int chunk = (int) Math.min(maxBytes - collected.length, PAGE - (at & (PAGE - 1)));
            byte[] part;
            try {
                part = memory.read(AccessContext.process(Gva.of(at), cr3), chunk);
            } catch (GuestAccessException e) {
                return collected.length == 0 ? new Text("<unreadable " + Gva.of(address) + ">", false, true)
                        : new Text(GuestStrings.cString(collected, 0, collected.length), true, false);
            }
            int nul = indexOfNul(part);
            byte[] joined = new byte[collected.length + (nul >= 0 ? nul : part.length)];
            System.arraycopy(collected, 0, joined, 0, collected.length);
            System.arraycopy(part, 0, joined, collected.length, joined.length - collected.length);
            collected = joined;
            if (nul >= 0) {
                return new Text(GuestStrings.cString(collected, 0, collected.length), false, false);
            }
            at += chunk;
        }
        return new Text(GuestStrings.cString(collected, 0, collected.length), true, false);
    }

    /** A NULL-terminated array of string pointers ({@code argv}), at most {@code maxItems} strings. */
    Strings strings(long address, int maxItems, int maxBytesEach) {
        List<String> items = new ArrayList<>();
        if (address == 0) {
            return new Strings(items, true);
        }
        byte[] pointers;
        try {
            pointers = memory.read(AccessContext.process(Gva.of(address), cr3), (maxItems + 1) * 8);
        } catch (GuestAccessException e) {
            try {
                pointers = memory.read(AccessContext.process(Gva.of(address), cr3),
                        (int) (PAGE - (address & (PAGE - 1))) & ~7);
            } catch (GuestAccessException again) {
                return new Strings(items, false);
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(pointers).order(ByteOrder.LITTLE_ENDIAN);
        boolean complete = true;
        for (int i = 0; i + 8 <= pointers.length; i += 8) {
            long p = buffer.getLong(i);
            if (p == 0) {
                return new Strings(items, complete);
            }
            if (items.size() == maxItems) {
                return new Strings(items, false);
            }
            Text text = string(p, maxBytesEach);
            complete &= !text.truncated() && !text.unreadable();
            items.add(text.value());
        }
        return new Strings(items, false);
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** A string read from the guest, and how well. */
    record Text(String value, boolean truncated, boolean unreadable) {
    }

    /** Strings read from an array, and whether all of them were read completely. */
    record Strings(List<String> values, boolean complete) {
    }
}
