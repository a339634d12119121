package io.vmiscope.api;

/**
 * Reads guest physical memory. Implementations are not required to be thread-safe; callers serialise
 * access (one debugger connection carries one request at a time).
 */
public interface PhysicalMemory {

    /**
     * Fills {@code buffer[offset, offset+length)} from guest physical memory starting at {@code address}.
     *
     * @throws GuestAccessException when (part of) the range is not backed by guest RAM; the buffer
     *         content is then unspecified
     * @throws TransportException when the channel to the hypervisor fails
     */
    void read(Gpa address, byte[] buffer, int offset, int length);

    default byte[] read(Gpa address, int length) {
        byte[] buffer = new byte[length];
        read(address, buffer, 0, length);
        return buffer;
    }

    /**
     * Performs independent reads as one batch. A transport that can pipeline requests sends them all
     * before waiting, so the batch costs about one round trip instead of one per read; the default
     * reads one after another.
     *
     * @throws GuestAccessException naming the first read that failed, after every read was attempted
     *         (the buffers of the reads that succeeded are filled)
     */
    default void readAll(java.util.List<PhysicalRead> reads) {
        GuestAccessException first = null;
        for (PhysicalRead r : reads) {
            try {
                read(r.address(), r.buffer(), r.offset(), r.length());
            } catch (GuestAccessException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The largest read that costs a single round trip to the hypervisor (bytes). */
    default int preferredChunkBytes() {
        return 4096;
    }

    /** Round trips, bytes moved and time spent so far; the overhead model depends on these. */
    default AccessStats stats() {
        return AccessStats.NONE;
    }
}
