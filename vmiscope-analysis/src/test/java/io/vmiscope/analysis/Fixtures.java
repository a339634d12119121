package io.vmiscope.analysis;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import io.vmiscope.store.Importer;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.store.imports.ImportFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The hand-written logs under src/test/resources/fixtures/, imported into real DuckDB files, and golden text. */
final class Fixtures {

    static final long SECOND = 1_000_000_000L;

    private Fixtures() {
    }

    static Path path(String name) {
        return resource("/fixtures/" + name);
    }

    /** A test resource by its absolute name ({@code /imported/…}) as a file. */
    static Path resource(String absoluteName) {
        try {
            return Path.of(Objects.requireNonNull(Fixtures.class.getResource(absoluteName), absoluteName).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try (var in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DuckDbEventStore store(Path dir) {
        return DuckDbEventStore.open(dir.resolve("case.duckdb"), StoreOptions.defaults());
    }

    static ImportSummary importDrakvuf(DuckDbEventStore store, String fixture, String vm) {
        ImportSummary summary = new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() {
        }).run(ImportFormat.DRAKVUF.reader(), List.of(path(fixture)), vm);
        if (summary.rejected() > 0) {
            throw new IllegalStateException(fixture + ": " + summary.describe());
        }
        return summary;
    }

    /**
     * The tree as golden text: one line per node, indented by depth, times in seconds after {@code baseNanos}.
     */
    static String render(ProcessTree tree, long baseNanos) {
        StringBuilder sb = new StringBuilder();
        for (ProcessNode n : tree.nodes()) {
            sb.append("  ".repeat(n.depth())).append(n.pid()).append(' ').append(n.name())
                    .append(" [").append(n.lifetime()).append("] ")
                    .append(seconds(n.startNanos() - baseNanos)).append("..")
                    .append(n.endNanos() == null ? "" : seconds(n.endNanos() - baseNanos))
                    .append(n.endReason() == null ? "" : " " + n.endReason())
                    .append(" events=").append(n.events()).append('\n');
        }
        return sb.toString();
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.4f", nanos / 1e9);
    }
}
