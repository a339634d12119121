package io.vmiscope.linux.module;

/**
 * A loaded module's life-cycle state: the kernel's {@code enum module_state}
 * (include/linux/module.h), plus {@link #UNKNOWN} for a value the kernel never writes.
 */
public enum ModuleState {
    /** {@code MODULE_STATE_LIVE} (0): initialised and in normal use. */
    LIVE,
    /** {@code MODULE_STATE_COMING} (1): loaded, its init function running. */
    COMING,
    /** {@code MODULE_STATE_GOING} (2): being removed. */
    GOING,
    /** {@code MODULE_STATE_UNFORMED} (3): still being set up by the loader; /proc/modules skips it. */
    UNFORMED,
    /** Any other value: the struct is corrupt or not a module at all. */
    UNKNOWN;

    private static final ModuleState[] BY_VALUE = {LIVE, COMING, GOING, UNFORMED};

    /** The state for a raw {@code module.state} value. */
    public static ModuleState fromKernel(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }

    /** The kernel's spelling, e.g. {@code "MODULE_STATE_LIVE"}; {@code "UNKNOWN"} for {@link #UNKNOWN}. */
    public String kernelName() {
        return this == UNKNOWN ? name() : "MODULE_STATE_" + name();
    }
}
