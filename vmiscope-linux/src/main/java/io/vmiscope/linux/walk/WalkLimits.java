package io.vmiscope.linux.walk;

/**
 * Hard bounds for walks over guest memory.
 *
 * @param maxNodes        most list elements one walk visits
 * @param maxStringBytes  most bytes read for one kernel string (names are 16 bytes in Linux)
 * @param maxArgvBytes    most bytes read for one command line
 */
public record WalkLimits(int maxNodes, int maxStringBytes, int maxArgvBytes) {

    /** Linux's PID_MAX_LIMIT is 4M; a real guest has far fewer tasks than this default. */
    public static final WalkLimits DEFAULT = new WalkLimits(65_536, 256, 4096);

    public WalkLimits {
        if (maxNodes <= 0 || maxStringBytes <= 0 || maxArgvBytes <= 0) {
            throw new IllegalArgumentException("walk limits must be positive");
        }
    }
}
