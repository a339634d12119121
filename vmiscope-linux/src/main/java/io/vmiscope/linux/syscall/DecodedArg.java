package io.vmiscope.linux.syscall;

/**
 * One decoded system-call argument.
 *
 * @param name       the parameter name ({@code "pathname"}, or {@code "arg0"} for unknown calls)
 * @param type       the {@link ArgType} name ({@code "PATH"})
 * @param raw        the register value
 * @param text       one line for display: strings in double quotes with escapes ({@code "/etc/passwd"}),
 *                   {@code NULL} for a null pointer, {@code <unreadable 0x…>} when the memory could
 *                   not be read; a {@code ...} suffix marks a cut
 * @param truncated  true when a limit cut the value (string cap, argv count, sockaddr length, preview)
 * @param unreadable true when some of the memory the argument points to could not be read
 * @param value      the value itself: for strings and paths the decoded string without quotes or
 *                   escapes (guest text, render only as text), for every other type the same as {@code text}
 */
public record DecodedArg(String name, String type, long raw, String text, boolean truncated, boolean unreadable,
                         String value) {

    /** An argument whose value is its display text (everything but strings and paths). */
    public DecodedArg(String name, String type, long raw, String text, boolean truncated, boolean unreadable) {
        this(name, type, raw, text, truncated, unreadable, text);
    }

    @Override
    public String toString() {
        return name + "=" + text;
    }
}
