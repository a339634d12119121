package io.vmiscope.x86;

import io.vmiscope.api.AccessContext;

/**
 * One read of a {@link GuestMemory#readAll batch}: fill {@code buffer[offset, offset+length)} from
 * the context's address on.
 */
public record ContextRead(AccessContext context, byte[] buffer, int offset, int length) {

    /** A read into a new buffer of {@code length} bytes. */
    public static ContextRead of(AccessContext context, int length) {
        return new ContextRead(context, new byte[length], 0, length);
    }
}
