package io.vmiscope.x86;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.api.PhysicalMemory;
import io.vmiscope.api.PhysicalRead;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Guest memory as the OS layers see it: reads by {@link AccessContext}, translated through x86-64
 * page tables and served by a {@link PhysicalMemory}.
 *
 * <ul>
 *   <li>{@link AccessContext.Kernel} walks the tables at the kernel CR3 given here,
 *       {@link AccessContext.Process} those at the context's own CR3, and
 *       {@link AccessContext.Physical} reads physical memory directly. CR3 bits 11:0 (PCID or
 *       flags) and bits 63:52 are ignored.</li>
 *   <li>A read is split at page boundaries, every page is translated before anything is read, and
 *       physically contiguous pieces are merged into one {@link PhysicalMemory#read} (each such read
 *       costs at least one round trip to the hypervisor).</li>
 *   <li>Page-table entries (keyed by their physical address) and translations (keyed by CR3 and
 *       virtual page) are cached, each in a least-recently-used map bounded by {@link Options}. Call
 *       {@link #invalidate()} whenever the VM has run: the entries are dropped, and the translations
 *       become <em>tentative</em> (except those of pages declared stable with
 *       {@link #keepAcrossRuns}). A batch that reads through a tentative translation reads the
 *       entries of its trace again <em>in the same batch</em> and uses the data only when they are
 *       unchanged; otherwise those reads are walked and read again. So a page read at the previous
 *       stop costs no walk, and no read ever uses a translation the guest has changed. Failed
 *       translations are not cached.</li>
 * </ul>
 *
 * <p>Multi-byte values are little-endian. A failed read throws {@link GuestAccessException} (a
 * {@link PageFaultException} when translation failed, naming the first address that could not be
 * translated); the caller's buffer is then unspecified. Transport failures of the underlying
 * memory pass through unchanged. Not thread-safe: use one instance per thread, or serialise
 * access, as the underlying {@link PhysicalMemory} requires anyway.
 */
public final class GuestMemory {

    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SMALL_PAGE_BYTES = 4096;

    /**
     * Limits of a {@link GuestMemory}.
     *
     * @param maxPhysicalAddressExclusive tables and pages at or above this physical address are
     *                                    refused (at most 2^52, the architectural limit; e.g.
     *                                    {@code 1L << MAXPHYADDR} or the top of guest RAM)
     * @param entryCacheCapacity          most page-table entries cached
     * @param translationCacheCapacity    most translations cached
     * @param entryBlockBytes             page-table bytes fetched on an entry-cache miss: the aligned
     *                                    block around the entry (8 = the entry alone; at most 4096).
     *                                    A round trip costs about the same for 8 or 512 bytes, and
     *                                    neighbouring entries map neighbouring memory (slab pages of
     *                                    one kernel cache, a process's stack), so blocks save round trips
     */
    public record Options(long maxPhysicalAddressExclusive, int entryCacheCapacity, int translationCacheCapacity,
                          int entryBlockBytes) {

        /** 52-bit physical addresses, 8192 entries (64 KiB of tables), 4096 translations, 512-byte blocks. */
        public static final Options DEFAULTS = new Options(Gpa.MAX_EXCLUSIVE, 8192, 4096, 512);

        public Options {
            if (maxPhysicalAddressExclusive <= 0 || maxPhysicalAddressExclusive > Gpa.MAX_EXCLUSIVE) {
                throw new IllegalArgumentException("maximum physical address out of range: "
                        + Hex.address(maxPhysicalAddressExclusive));
            }
            if (entryCacheCapacity <= 0 || translationCacheCapacity <= 0) {
                throw new IllegalArgumentException("cache capacities must be positive");
            }
            if (entryBlockBytes < 8 || entryBlockBytes > 4096 || Integer.bitCount(entryBlockBytes) != 1) {
                throw new IllegalArgumentException("entry block must be a power of two from 8 to 4096 bytes: "
                        + entryBlockBytes);
            }
        }

        /** These options with another maximum physical address. */
        public Options withMaxPhysicalAddress(long exclusive) {
            return new Options(exclusive, entryCacheCapacity, translationCacheCapacity, entryBlockBytes);
        }

        /** These options with another entry block size. */
        public Options withEntryBlockBytes(int bytes) {
            return new Options(maxPhysicalAddressExclusive, entryCacheCapacity, translationCacheCapacity, bytes);
        }
    }

    private final PhysicalMemory physical;
    private final PagingMode mode;
    private final Options options;
    private final PageWalker walker;
    /** Levels whose entries can map a page, smallest page first: where to look in the cache. */
    private final List<PagingLevel> leafLevels;
    private final Map<Long, Long> entryCache;
    private final TranslationCache translations;
    private long kernelCr3;

    /** Reads through {@code physical} with {@link Options#DEFAULTS}. */
    public GuestMemory(PhysicalMemory physical, long kernelCr3, PagingMode mode) {
        this(physical, kernelCr3, mode, Options.DEFAULTS);
    }

    /**
     * @param kernelCr3 CR3 value whose tables resolve {@link AccessContext.Kernel} addresses
     */
    public GuestMemory(PhysicalMemory physical, long kernelCr3, PagingMode mode, Options options) {
        this.physical = Objects.requireNonNull(physical);
        this.mode = Objects.requireNonNull(mode);
        this.options = Objects.requireNonNull(options);
        this.kernelCr3 = kernelCr3;
        this.walker = new PageWalker(mode, options.maxPhysicalAddressExclusive());
        PagingLevel lastLevel = mode.levels().get(mode.levels().size() - 1);
        this.leafLevels = mode.levels().stream()
                .filter(level -> level.pageSizeAllowed() || level.equals(lastLevel))
                .sorted(Comparator.comparingInt(PagingLevel::shift))
                .toList();
        this.entryCache = TranslationCache.lruMap(options.entryCacheCapacity());
        this.translations = new TranslationCache(leafLevels.stream().map(PagingLevel::pageSizeBytes).toList(),
                options.translationCacheCapacity());
    }

    public PagingMode mode() {
        return mode;
    }

    /** The CR3 value used for kernel contexts, as given. */
    public long kernelCr3() {
        return kernelCr3;
    }

    /** Switches the tables used for kernel contexts (cached translations are keyed by CR3). */
    public void setKernelCr3(long cr3) {
        this.kernelCr3 = cr3;
    }

    /**
     * Call whenever the VM has run: the guest may have changed its page tables meanwhile. Drops the
     * cached entries; cached translations become tentative (confirmed by reading their trace again
     * before use), except those of pages declared stable.
     */
    public void invalidate() {
        entryCache.clear();
        translations.newRun();
    }

    /**
     * Declares which virtual pages keep their translation when the VM runs — pages whose mapping the
     * guest never changes (for Linux: its direct map of physical memory and the kernel image). Their
     * reads then cost no walk and no confirming re-read at later stops.
     *
     * @param virtualPageIsStable tested with a page's virtual base address
     */
    public void keepAcrossRuns(java.util.function.LongPredicate virtualPageIsStable) {
        translations.keepAcrossRuns(Objects.requireNonNull(virtualPageIsStable));
    }

    /**
     * Translates the context's address. A physical context translates to itself, with a 4 KiB page
     * and an empty trace.
     *
     * @throws PageFaultException when the walk fails
     */
    public Translation translate(AccessContext context) {
        if (context instanceof AccessContext.Physical physicalContext) {
            return new Translation(physicalContext.address(), SMALL_PAGE_BYTES, List.of());
        }
        return translateVirtual(context, null, -1);
    }

    /**
     * Fills {@code buffer[offset, offset+length)} from the context's address on.
     *
     * @throws GuestAccessException when part of the range cannot be translated or read
     */
    public void read(AccessContext context, byte[] buffer, int offset, int length) {
        readAll(List.of(new ContextRead(context, buffer, offset, length)));
    }

    /**
     * Performs independent reads as one batch: every read is translated first (through the caches),
     * then all physical pieces go to {@link PhysicalMemory#readAll} together, which a pipelining
     * transport answers in about one round trip — together with the re-reads that confirm the
     * tentative translations used (see the class comment).
     *
     * @throws GuestAccessException for the first read that could not be translated or read, after
     *         every read was attempted (the buffers of the others are filled)
     */
    public void readAll(List<ContextRead> reads) {
        Map<Integer, GuestAccessException> failures = readEach(reads);
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
    }

    /**
     * Like {@link #readAll}, but reports the failure of each read instead of throwing the first: the
     * buffers of the reads not named are filled.
     *
     * @return read index → why it failed, in index order; empty when every read succeeded
     */
    public Map<Integer, GuestAccessException> readEach(List<ContextRead> reads) {
        return readEach(reads, true);
    }

    private Map<Integer, GuestAccessException> readEach(List<ContextRead> reads, boolean speculate) {
        Map<Integer, GuestAccessException> failures = new TreeMap<>();
        List<List<PhysicalRead>> pieces = new ArrayList<>(reads.size());
        TraceChecks checks = new TraceChecks();
        for (int i = 0; i < reads.size(); i++) {
            ContextRead read = reads.get(i);
            Objects.checkFromIndexSize(read.offset(), read.length(), read.buffer().length);
            List<PhysicalRead> mine = new ArrayList<>();
            try {
                if (read.length() > 0) {
                    for (Run run : plan(read, speculate ? checks : null, i)) {
                        checkPhysicalLimit(read.context(), run);
                        mine.add(new PhysicalRead(Gpa.of(run.gpa()), read.buffer(), run.bufferOffset(), run.length()));
                    }
                }
            } catch (GuestAccessException e) {
                failures.put(i, e);
                mine.clear();
            }
            pieces.add(mine);
        }
        List<PhysicalRead> batch = new ArrayList<>();
        pieces.forEach(batch::addAll);
        batch.addAll(checks.reads());
        if (batch.isEmpty()) {
            return failures;
        }
        try {
            physical.readAll(batch);
        } catch (GuestAccessException e) {
            if (!checks.isEmpty()) {
                checks.dropAll(translations); // which read failed is not known: walk afresh and retry
                return readEach(reads, false);
            }
            attribute(reads, pieces, failures, e);
            return failures;
        }
        Set<Integer> stale = checks.settle(translations);
        if (!stale.isEmpty()) {
            List<Integer> again = List.copyOf(stale);
            Map<Integer, GuestAccessException> retried = readEach(again.stream().map(reads::get).toList(), false);
            retried.forEach((k, e) -> failures.put(again.get(k), e));
        }
        return failures;
    }

    /** After a failed batch: finds out which reads fail, one read at a time. */
    private void attribute(List<ContextRead> reads, List<List<PhysicalRead>> pieces,
                           Map<Integer, GuestAccessException> failures, GuestAccessException batchFailure) {
        for (int i = 0; i < reads.size(); i++) {
            if (pieces.get(i).isEmpty()) {
                continue;
            }
            try {
                if (reads.size() > 1) {
                    physical.readAll(pieces.get(i));
                } else {
                    throw batchFailure;
                }
            } catch (GuestAccessException e) {
                ContextRead read = reads.get(i);
                failures.put(i, new GuestAccessException("cannot read " + read.length() + " bytes at "
                        + read.context() + ": " + e.getMessage(), e));
            }
        }
    }

    /** Reads {@code length} bytes from the context's address on. */
    public byte[] read(AccessContext context, int length) {
        byte[] buffer = new byte[length];
        read(context, buffer, 0, length);
        return buffer;
    }

    /** Reads a little-endian 64-bit value. */
    public long readU64(AccessContext context) {
        return (long) U64.get(read(context, 8), 0);
    }

    /** Reads a little-endian 32-bit value. */
    public int readU32(AccessContext context) {
        return (int) U32.get(read(context, 4), 0);
    }

    /**
     * Translates every page of a read and merges physically contiguous pieces; with {@code checks},
     * tentative translations are used and their confirmation added to the checks.
     */
    private List<Run> plan(ContextRead read, TraceChecks checks, int readIndex) {
        AccessContext context = read.context();
        int offset = read.offset();
        int length = read.length();
        if (context instanceof AccessContext.Physical physicalContext) {
            return List.of(new Run(physicalContext.address().value(), offset, length));
        }
        Gva start = address(context);
        if (Long.compareUnsigned(start.value() + length - 1, start.value()) < 0) {
            throw new GuestAccessException("cannot read " + length + " bytes at " + context
                    + ": the range wraps around the end of the address space");
        }
        List<Run> runs = new ArrayList<>();
        int done = 0;
        while (done < length) {
            Translation translation = translateVirtual(done == 0 ? context : context.plus(done), checks, readIndex);
            int chunk = (int) Math.min(length - done, translation.bytesToPageEnd());
            long gpa = translation.gpa().value();
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.gpa() + last.length() == gpa) {
                runs.set(runs.size() - 1, new Run(last.gpa(), last.bufferOffset(), last.length() + chunk));
            } else {
                runs.add(new Run(gpa, offset + done, chunk));
            }
            done += chunk;
        }
        return runs;
    }

    private void checkPhysicalLimit(AccessContext context, Run run) {
        if (run.gpa() + run.length() > options.maxPhysicalAddressExclusive()) {
            throw new GuestAccessException("cannot read " + run.length() + " bytes at " + context + ": physical range "
                    + Hex.address(run.gpa()) + "+" + run.length() + " goes beyond the maximum physical address "
                    + Hex.address(options.maxPhysicalAddressExclusive()));
        }
    }

    private Translation translateVirtual(AccessContext context, TraceChecks checks, int readIndex) {
        long cr3 = context instanceof AccessContext.Process process ? process.cr3() : kernelCr3;
        long root = cr3 & PageWalker.ADDRESS_MASK;
        Gva address = address(context);
        long va = address.value();
        TranslationCache.Found found = translations.find(root, va);
        if (found != null && found.tentative()) {
            if (checks != null) {
                checks.use(found, readIndex);
            } else if (!confirmNow(found)) {
                found = null;
            }
        }
        if (found != null) {
            Translation page = found.page();
            return new Translation(page.gpa().plus(va & (page.pageSizeBytes() - 1)), page.pageSizeBytes(), page.trace());
        }
        Translation translation = walker.walk(context, root, address, this::readEntry);
        long size = translation.pageSizeBytes();
        Gpa pageBase = Gpa.of(translation.gpa().value() & -size);
        translations.put(new TranslationCache.PageKey(root, va & -size, size),
                new Translation(pageBase, size, translation.trace()));
        return translation;
    }

    /** Reads a tentative translation's trace again (one batch); true when it is unchanged and now current. */
    private boolean confirmNow(TranslationCache.Found found) {
        TraceChecks checks = new TraceChecks();
        checks.use(found, 0);
        try {
            physical.readAll(checks.reads());
        } catch (GuestAccessException e) {
            checks.dropAll(translations); // the walk that follows says what is wrong
            return false;
        }
        return checks.settle(translations).isEmpty();
    }

    private long readEntry(Gpa entryAddress) {
        Long cached = entryCache.get(entryAddress.value());
        if (cached != null) {
            return cached;
        }
        // An aligned block never leaves the entry's 4 KiB table page: readable exactly when the entry is.
        long blockStart = entryAddress.value() & -(long) options.entryBlockBytes();
        byte[] block = physical.read(Gpa.of(blockStart), options.entryBlockBytes());
        for (int i = 0; i < block.length; i += 8) {
            entryCache.put(blockStart + i, (long) U64.get(block, i));
        }
        return (long) U64.get(block, (int) (entryAddress.value() - blockStart));
    }

    private static Gva address(AccessContext context) {
        return context instanceof AccessContext.Process process
                ? process.address()
                : ((AccessContext.Kernel) context).address();
    }

    /** One physical read of a planned virtual read. */
    private record Run(long gpa, int bufferOffset, int length) {
    }
}
