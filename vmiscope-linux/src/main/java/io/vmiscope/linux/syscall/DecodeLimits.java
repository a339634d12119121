package io.vmiscope.linux.syscall;

/**
 * Hard bounds for reading system-call arguments from (hostile) user memory. Every allocation the
 * decoder makes is bounded by these values, never by a length the guest supplies.
 *
 * @param maxPathBytes       most bytes read for a {@link ArgType#PATH} (Linux's {@code PATH_MAX} is 4096)
 * @param maxStringBytes     most bytes read for a {@link ArgType#STRING}
 * @param previewBytes       most bytes shown of a {@link ArgType#BUFFER}
 * @param maxArgvEntries     most entries read of an {@link ArgType#ARGV}, and counted of an {@link ArgType#ENVP}
 * @param maxArgvStringBytes most bytes read for each {@link ArgType#ARGV} entry
 */
public record DecodeLimits(int maxPathBytes, int maxStringBytes, int previewBytes, int maxArgvEntries,
                           int maxArgvStringBytes) {

    /** 4096-byte paths, 256-byte strings, 32-byte previews, 128 argv entries of at most 256 bytes. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(4096, 256, 32, 128, 256);

    /** Upper bound for any single limit, so a configuration slip cannot make a read unbounded. */
    public static final int MAX_LIMIT = 1 << 20;

    public DecodeLimits {
        for (int limit : new int[] {maxPathBytes, maxStringBytes, previewBytes, maxArgvEntries, maxArgvStringBytes}) {
            if (limit <= 0 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("decode limits must be in 1.." + MAX_LIMIT + ": " + limit);
            }
        }
    }
}
