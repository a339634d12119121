package io.vmiscope.store.imports;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads one input format. Streams lazily: memory bounded for multi-GB files. The stream must be closed
 * (it closes the file).
 *
 * <p>A bad line never ends the stream: it becomes an {@link ImportItem.Rejected} and reading goes on. The
 * stream ends with one {@link ImportItem.FileRead}, which accounts for every line of the file.
 * Failing to open or read the file is an infrastructure failure: {@link java.io.UncheckedIOException},
 * from {@code read} or from the stream. Streams are sequential and not thread-safe; a reader itself is
 * immutable and may be shared.
 */
public interface LogReader {

    /**
     * @param file the file to read
     * @param vm   the name of the VM the file is about; every event is attributed to it
     * @return the items, in file order except for records held until a time is found for them (their items
     *         carry their line), then the {@link ImportItem.FileRead}
     */
    Stream<ImportItem> read(Path file, String vm);
}
