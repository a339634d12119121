package io.vmiscope.events;

/**
 * One decoded system-call argument.
 *
 * @param name       the parameter's name, e.g. {@code "filename"}
 * @param type       how it was decoded, e.g. {@code "path"}, {@code "open_flags"}, {@code "fd"}
 * @param raw        the register value
 * @param text       the decoded value for people (guest text is capped and decoded safely)
 * @param truncated  the value was cut at a limit
 * @param unreadable the memory it points to could not be read
 */
public record SyscallArgument(String name, String type, long raw, String text, boolean truncated, boolean unreadable) {
}
