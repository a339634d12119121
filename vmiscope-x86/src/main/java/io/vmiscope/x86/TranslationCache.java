package io.vmiscope.x86;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Translations by page-table root and virtual page, kept across runs of the VM. A translation made
 * during the current stop is <em>current</em>. When the VM runs ({@link #newRun()}), the others become
 * <em>tentative</em> — the guest may have changed its tables — except those of pages the caller
 * declared stable (Linux's direct map: its virtual-to-physical offset never changes). A tentative
 * translation is used only after its trace has been read again and found unchanged
 * ({@link #confirm}); one that changed is {@link #remove removed}. Bounded, least recently used first
 * out. Not thread-safe.
 */
final class TranslationCache {

    /** A key: the masked CR3, the page's virtual base and its size. */
    record PageKey(long root, long virtualPage, long sizeBytes) {
    }

    /** A cached page: its translation (gpa = the page's base) and whether it still needs confirming. */
    record Found(PageKey key, Translation page, boolean tentative) {
    }

    private record Entry(Translation page, long run) {
    }

    private final List<Long> pageSizes;
    private final Map<PageKey, Entry> entries;
    private LongPredicate stable = virtualPage -> false;
    private long run;

    /** @param pageSizes the sizes a page may have, smallest first: where to look */
    TranslationCache(List<Long> pageSizes, int capacity) {
        this.pageSizes = List.copyOf(pageSizes);
        this.entries = lruMap(capacity);
    }

    /** A map that drops its least recently used entry beyond {@code capacity} entries. */
    static <K, V> Map<K, V> lruMap(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Declares which virtual pages keep their translation when the VM runs. */
    void keepAcrossRuns(LongPredicate virtualPageIsStable) {
        this.stable = virtualPageIsStable;
    }

    /** The VM ran: every translation not declared stable becomes tentative. O(1). */
    void newRun() {
        run++;
    }

    /** Forgets everything, tentative translations included. */
    void clear() {
        entries.clear();
    }

    /** The cached page holding {@code va} under {@code root}, or null. */
    Found find(long root, long va) {
        for (long size : pageSizes) {
            PageKey key = new PageKey(root, va & -size, size);
            Entry entry = entries.get(key);
            if (entry != null) {
                return new Found(key, entry.page(), entry.run() != run && !stable.test(key.virtualPage()));
            }
        }
        return null;
    }

    /** Caches a translation made now; {@code page.gpa()} is the page's base. */
    void put(PageKey key, Translation page) {
        entries.put(key, new Entry(page, run));
    }

    /** A tentative translation whose trace was read again unchanged: current until the VM runs. */
    void confirm(Found found) {
        entries.put(found.key(), new Entry(found.page(), run));
    }

    /** Drops a translation whose trace changed. */
    void remove(PageKey key) {
        entries.remove(key);
    }
}
