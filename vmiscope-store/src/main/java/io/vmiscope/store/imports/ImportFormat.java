package io.vmiscope.store.imports;

/** The input formats vmiscope imports, each with its reader (using {@link ImportLimits#DEFAULTS}). */
public enum ImportFormat {
    /** DRAKVUF's {@code drakmon.log}: JSON lines or the default text format, mixed per line. */
    DRAKVUF,
    /** Volatility 3 {@code linux.pslist}, {@code linux.pstree} or {@code windows.pslist}, as JSON or JSONL. */
    VOLATILITY,
    /** vmiscope's own JSON lines ({@code vmiscope monitor --out}). */
    JSONL;

    /** A reader for this format. */
    public LogReader reader() {
        return switch (this) {
            case DRAKVUF -> new DrakvufReader(ImportLimits.DEFAULTS);
            case VOLATILITY -> new VolatilityReader(ImportLimits.DEFAULTS);
            case JSONL -> new VmiscopeJsonlReader(ImportLimits.DEFAULTS);
        };
    }
}
