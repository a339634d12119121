package io.vmiscope.store.imports;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records that came before any time of their file, held until a time is found for them: by the pid they are
 * about (a pid below 0: no pid), oldest first. Bounded: holding more than {@code maxRecords} records or
 * {@code maxChars} characters of their text gives the oldest back at once. Not thread-safe.
 *
 * @param <T> what is held
 */
final class WaitingForTime<T> {

    /** Compared by identity: two held values may be equal. */
    private static final class Held<T> {
        final int pid;
        final long chars;
        final T value;

        Held(int pid, long chars, T value) {
            this.pid = pid;
            this.chars = chars;
            this.value = value;
        }
    }

    private static final int NO_PID = -1;

    private final int maxRecords;
    private final long maxChars;
    private final Map<Integer, Deque<Held<T>>> byPid = new HashMap<>();
    private final Deque<Held<T>> oldestFirst = new ArrayDeque<>();
    private long chars;

    WaitingForTime(int maxRecords, long maxChars) {
        this.maxRecords = maxRecords;
        this.maxChars = maxChars;
    }

    boolean isEmpty() {
        return oldestFirst.isEmpty();
    }

    /**
     * Holds {@code value}, about {@code pid}, whose text is {@code textChars} long.
     *
     * @return the oldest held values that no longer fit (they wait no longer), oldest first
     */
    List<T> hold(int pid, long textChars, T value) {
        Held<T> held = new Held<>(Math.max(pid, NO_PID), textChars, value);
        byPid.computeIfAbsent(held.pid, k -> new ArrayDeque<>()).add(held);
        oldestFirst.add(held);
        chars += textChars;
        List<T> overflow = new ArrayList<>();
        while (oldestFirst.size() > maxRecords || (chars > maxChars && !oldestFirst.isEmpty())) {
            Held<T> oldest = oldestFirst.poll();
            byPid.get(oldest.pid).remove(oldest);
            chars -= oldest.chars;
            overflow.add(oldest.value);
        }
        return overflow;
    }

    /** Takes out what is held for {@code pid}, oldest first. */
    List<T> take(int pid) {
        Deque<Held<T>> held = byPid.remove(Math.max(pid, NO_PID));
        if (held == null) {
            return List.of();
        }
        List<T> values = new ArrayList<>(held.size());
        for (Held<T> h : held) {
            oldestFirst.remove(h);
            chars -= h.chars;
            values.add(h.value);
        }
        return values;
    }

    /** Takes out what is held for no pid. */
    List<T> takeWithoutPid() {
        return take(NO_PID);
    }

    /** Takes out everything, oldest first. */
    List<T> takeAll() {
        List<T> values = new ArrayList<>(oldestFirst.size());
        for (Held<T> h : oldestFirst) {
            values.add(h.value);
        }
        oldestFirst.clear();
        byPid.clear();
        chars = 0;
        return values;
    }
}
