package io.vmiscope.detect.anomaly;

import java.util.function.Consumer;

/**
 * Traces that can be read more than once (training reads them in passes, so no more than one trace is in
 * memory at a time). Bad input ends a pass with a {@link TraceFileException}.
 */
@FunctionalInterface
public interface TraceSource {

    /** Calls {@code each} for every trace, always in the same order. */
    void forEach(Consumer<Trace> each);
}
