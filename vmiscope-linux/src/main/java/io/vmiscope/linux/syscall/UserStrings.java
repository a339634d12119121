package io.vmiscope.linux.syscall;

import java.util.ArrayList;
import java.util.List;

/**
 * Strings and string arrays ({@code argv}) from a process's user memory, as values rather than
 * display text, with the same bounds, batching and user-space checks as the syscall decoder. One
 * instance per stop and process; not thread-safe.
 */
public final class UserStrings {

    /** A string and how well it was read (guest text: render only as text). */
    public record Text(String value, boolean truncated, boolean unreadable) {
    }

    /** The strings of a NULL-terminated pointer array; {@code complete} is false when any was cut or unreadable. */
    public record Texts(List<String> values, boolean complete) {
        public Texts {
            values = List.copyOf(values);
        }
    }

    private final UserReader reader;

    private UserStrings(UserMemory memory) {
        this.reader = new UserReader(memory);
    }

    public static UserStrings of(UserMemory memory) {
        return new UserStrings(memory);
    }

    /**
     * Reads the first page of a string and of a pointer array in one batch, so that {@link #string} and
     * {@link #strings} on them start from what was read (an exec's path and argv: one round trip, not two).
     */
    public void prefetch(long stringAddress, int capBytes, long arrayAddress, int maxItems) {
        List<UserMemory.Range> first = new ArrayList<>(2);
        if (stringAddress != 0) {
            reader.firstStringRange(stringAddress, capBytes).ifPresent(first::add);
        }
        if (arrayAddress != 0) {
            reader.firstArrayRange(arrayAddress, maxItems).ifPresent(first::add);
        }
        reader.prefetch(first);
    }

    /** The NUL-terminated string at {@code address}, at most {@code capBytes}; a NULL pointer reads as {@code NULL}. */
    public Text string(long address, int capBytes) {
        if (address == 0) {
            return new Text("NULL", false, true);
        }
        UserReader.CString s = reader.strings(List.of(address), capBytes).get(0);
        return new Text(s.text(), s.truncated(), s.unreadable());
    }

    /** The strings of the array at {@code address}: at most {@code maxItems}, each at most {@code capBytes}. */
    public Texts strings(long address, int maxItems, int capBytes) {
        if (address == 0) {
            return new Texts(List.of(), true);
        }
        UserReader.PointerArray array = reader.pointers(address, maxItems);
        List<UserReader.CString> read = reader.strings(array.pointers(), capBytes);
        List<String> values = new ArrayList<>(read.size());
        boolean complete = array.terminated() && !array.unreadable();
        for (UserReader.CString s : read) {
            if (s == null) {
                continue;
            }
            values.add(s.text());
            complete &= !s.truncated() && !s.unreadable();
        }
        return new Texts(values, complete);
    }
}
