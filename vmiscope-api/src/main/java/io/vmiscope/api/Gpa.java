package io.vmiscope.api;

/** A guest physical address: non-negative and below 2^52 (the architectural maximum, Intel SDM 3A §4.1.4). */
public record Gpa(long value) implements Comparable<Gpa> {

    public static final long MAX_EXCLUSIVE = 1L << 52;

    public Gpa {
        if (value < 0 || value >= MAX_EXCLUSIVE) {
            throw new IllegalArgumentException("not a physical address: " + Hex.address(value));
        }
    }

    public static Gpa of(long value) {
        return new Gpa(value);
    }

    public Gpa plus(long offsetBytes) {
        return new Gpa(value + offsetBytes);
    }

    @Override
    public int compareTo(Gpa other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Hex.address(value);
    }
}
