package io.vmiscope.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import io.vmiscope.store.Importer;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.store.imports.ImportFormat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured side of {@code vmiscope bench store}'s import, run by {@link StoreImportBenchmark} in a JVM
 * of its own so that its heap limit ({@code -Xmx}) is real: imports one DRAKVUF log into a fresh store
 * exactly as {@code vmiscope import drakvuf} does, and prints one JSON object on stdout —
 * {@code lines}, {@code events}, {@code rejected}, {@code nanos} (from opening the store to closing it),
 * {@code maxHeapBytes} (the JVM's limit) and {@code peakHeapUsedBytes} (the most heap in use, sampled
 * after every batch). Progress goes to stderr.
 *
 * <p>Arguments: {@code LOG DB VM TOTAL_LINES}. Exit 0 on success; a failure ends with a stack trace on
 * stderr and exit 1.
 */
public final class StoreImportMain {

    private StoreImportMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: StoreImportMain LOG DB VM TOTAL_LINES");
        }
        Path log = Path.of(args[0]);
        Path db = Path.of(args[1]);
        String vm = args[2];
        StoreProgress progress = new StoreProgress(new PrintWriter(System.err, true), "vmiscope import (-Xmx"
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m)", "lines", Long.parseLong(args[3]));
        Runtime runtime = Runtime.getRuntime();
        long[] peakHeap = {0};
        long start = System.nanoTime();
        ImportSummary summary;
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            summary = new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() {
                @Override
                public void committed(ImportSummary soFar) {
                    peakHeap[0] = Math.max(peakHeap[0], runtime.totalMemory() - runtime.freeMemory());
                    progress.update(soFar.linesRead());
                }
            }).run(ImportFormat.DRAKVUF.reader(), List.of(log), vm);
        }
        long nanos = System.nanoTime() - start;
        progress.done(summary.linesRead());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("lines", summary.linesRead());
        result.put("events", summary.imported());
        result.put("rejected", summary.rejected());
        result.put("nanos", nanos);
        result.put("maxHeapBytes", runtime.maxMemory());
        result.put("peakHeapUsedBytes", peakHeap[0]);
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }
}
