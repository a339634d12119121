package io.vmiscope.detect.anomaly;

import java.util.Arrays;

/**
 * A map from non-zero {@code long} keys to {@code int} values by open addressing: no boxing, so a lookup on
 * the scoring path costs one hash and a few array reads. Bounded: once it holds {@code maxEntries} keys, new
 * keys are refused (and counted) while existing ones still update. Not thread-safe for writers; readers of a
 * table nobody writes any more may share it.
 */
final class LongIntTable {

    private static final double MAX_LOAD = 0.5;

    private final int maxEntries;
    private long[] keys;
    private int[] values;
    private int size;
    private long refused;

    LongIntTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a table needs room for at least one entry, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        int capacity = 16;
        keys = new long[capacity];
        values = new int[capacity];
    }

    /** The value under {@code key}, or {@code missing} when there is none. */
    int get(long key, int missing) {
        int slot = find(key);
        return keys[slot] == key ? values[slot] : missing;
    }

    /** Whether {@code key} has a value. */
    boolean contains(long key) {
        return keys[find(key)] == key;
    }

    /** Adds {@code delta} to the key's value (0 when new); false when the key is new and the table is full. */
    boolean add(long key, int delta) {
        int slot = find(key);
        if (keys[slot] == key) {
            values[slot] = (int) Math.min(Integer.MAX_VALUE, (long) values[slot] + delta);
            return true;
        }
        return insert(slot, key, delta);
    }

    /** Sets the key's value; false when the key is new and the table is full. */
    boolean put(long key, int value) {
        int slot = find(key);
        if (keys[slot] == key) {
            values[slot] = value;
            return true;
        }
        return insert(slot, key, value);
    }

    int size() {
        return size;
    }

    /** New keys refused because the table was full. */
    long refused() {
        return refused;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** Calls {@code each} for every entry, in no particular order. */
    void forEach(Entry each) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                each.accept(keys[i], values[i]);
            }
        }
    }

    /** One entry of the table. */
    @FunctionalInterface
    interface Entry {
        void accept(long key, int value);
    }

    private boolean insert(int slot, long key, int value) {
        if (key == 0) {
            throw new IllegalArgumentException("key 0 marks an empty slot");
        }
        if (size >= maxEntries) {
            refused++;
            return false;
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
        if (size > keys.length * MAX_LOAD) {
            grow();
        }
        return true;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
        Arrays.fill(oldKeys, 0);
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}
