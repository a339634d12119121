package io.vmiscope.api;

/**
 * One read of a batch: fill {@code buffer[offset, offset+length)} from guest physical memory at
 * {@code address}.
 */
public record PhysicalRead(Gpa address, byte[] buffer, int offset, int length) {

    public PhysicalRead {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("read of " + length + " bytes at offset " + offset
                    + " does not fit a buffer of " + buffer.length);
        }
    }

    /** A read into a new buffer of {@code length} bytes. */
    public static PhysicalRead of(Gpa address, int length) {
        return new PhysicalRead(address, new byte[length], 0, length);
    }
}
