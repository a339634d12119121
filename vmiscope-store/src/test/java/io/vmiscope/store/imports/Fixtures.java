package io.vmiscope.store.imports;

import io.vmiscope.events.Event;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The hand-written input files under src/test/resources/imports/ and a way to read them whole. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/imports/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ImportItem> readAll(LogReader reader, Path file) {
        try (Stream<ImportItem> items = reader.read(file, "case-42")) {
            return items.toList();
        }
    }

    static List<ImportItem.Parsed> parsed(List<ImportItem> items) {
        return items.stream().filter(ImportItem.Parsed.class::isInstance).map(ImportItem.Parsed.class::cast).toList();
    }

    static List<ImportItem.Rejected> rejected(List<ImportItem> items) {
        return items.stream().filter(ImportItem.Rejected.class::isInstance).map(ImportItem.Rejected.class::cast)
                .toList();
    }

    /** The items before the file's {@link ImportItem.FileRead}, which must be the last. */
    static List<ImportItem> itemsOfLines(List<ImportItem> items) {
        if (items.isEmpty() || !(items.get(items.size() - 1) instanceof ImportItem.FileRead)) {
            throw new AssertionError("the stream did not end with its line counts: " + items);
        }
        return items.subList(0, items.size() - 1);
    }

    /** What became of the file's lines, from its last item. */
    static LineCounts lineCounts(List<ImportItem> items) {
        itemsOfLines(items);
        return ((ImportItem.FileRead) items.get(items.size() - 1)).lines();
    }

    static List<Event> events(List<ImportItem> items) {
        return parsed(items).stream().map(ImportItem.Parsed::event).toList();
    }
}
