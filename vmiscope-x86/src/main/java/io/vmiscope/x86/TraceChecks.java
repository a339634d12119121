package io.vmiscope.x86;

import io.vmiscope.api.Gpa;
import io.vmiscope.api.PhysicalRead;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tentative translations one batch of reads used speculatively, and the re-reads of their
 * page-table entries that go out in the same batch. The VM is stopped, so the batch sees one state of
 * memory: when every entry of a translation's trace reads back unchanged, a fresh walk would have
 * read exactly those entries (each from the table the previous one points to) and the data read
 * through it is what a walk-first read would have returned. Not thread-safe; one per batch.
 */
final class TraceChecks {

    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private record Use(TranslationCache.Found found, Set<Integer> reads) {
    }

    /** Entry address → buffer of its re-read; one re-read however many translations share the entry. */
    private final Map<Long, byte[]> entries = new LinkedHashMap<>();
    private final Map<TranslationCache.PageKey, Use> uses = new LinkedHashMap<>();

    /** Read {@code readIndex} of the batch goes through the tentative translation {@code found}. */
    void use(TranslationCache.Found found, int readIndex) {
        uses.computeIfAbsent(found.key(), k -> new Use(found, new TreeSet<>())).reads().add(readIndex);
        for (TraceEntry entry : found.page().trace()) {
            entries.computeIfAbsent(entry.entryAddress().value(), a -> new byte[Long.BYTES]);
        }
    }

    boolean isEmpty() {
        return uses.isEmpty();
    }

    /** The entry re-reads to add to the batch. */
    List<PhysicalRead> reads() {
        List<PhysicalRead> reads = new ArrayList<>(entries.size());
        entries.forEach((address, buffer) -> reads.add(new PhysicalRead(Gpa.of(address), buffer, 0, Long.BYTES)));
        return reads;
    }

    /**
     * After the batch was read: confirms each translation whose trace is unchanged and removes the
     * others from {@code cache}.
     *
     * @return the indexes of the reads that went through a changed translation (to be read again)
     */
    Set<Integer> settle(TranslationCache cache) {
        Set<Integer> stale = new TreeSet<>();
        for (Use use : uses.values()) {
            if (unchanged(use.found().page())) {
                cache.confirm(use.found());
            } else {
                cache.remove(use.found().key());
                stale.addAll(use.reads());
            }
        }
        return stale;
    }

    /** After a failed batch: removes every translation used, so that a retry walks afresh. */
    void dropAll(TranslationCache cache) {
        uses.keySet().forEach(cache::remove);
    }

    private boolean unchanged(Translation page) {
        for (TraceEntry entry : page.trace()) {
            if ((long) U64.get(entries.get(entry.entryAddress().value()), 0) != entry.value()) {
                return false;
            }
        }
        return true;
    }
}
