package io.vmiscope.store;

import io.vmiscope.store.imports.ImportFormat;

import java.nio.file.Path;
import java.util.List;

/**
 * Test-only program for {@link ImportKillRecoveryTest}: imports a vmiscope JSONL file into a store,
 * printing {@code committed N} after every stored batch, so that the test can kill it mid-way.
 * Arguments: the store file, the JSONL file, the batch size.
 */
public final class ImportChild {

    private ImportChild() {
    }

    public static void main(String[] args) {
        try (DuckDbEventStore store = DuckDbEventStore.open(Path.of(args[0]), StoreOptions.defaults())) {
            Importer importer = new Importer(store, Integer.parseInt(args[2]), new Importer.Listener() {
                @Override
                public void committed(ImportSummary soFar) {
                    System.out.println("committed " + soFar.committed());
                    System.out.flush();
                }
            });
            ImportSummary summary = importer.run(ImportFormat.JSONL.reader(), List.of(Path.of(args[1])), "demo");
            System.out.println("done " + summary.committed());
        }
    }
}
